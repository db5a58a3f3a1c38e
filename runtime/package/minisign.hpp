#pragma once
// minisign's key and signature files (https://jedisct1.github.io/minisign/), byte for byte, so
// that `minisign -V` verifies what migpkg signs, `minisign -S` signs with a key migpkg made, and
// migpkg signs with a key `minisign -G` made.
//
//   public key   "untrusted comment: ..." / base64("Ed" | key id (8) | Ed25519 public key (32))
//   secret key   "untrusted comment: ..." / base64("Ed" | kdf "Sc" or 0,0 | "B2" | salt (32) |
//                 opslimit (8, LE) | memlimit (8, LE) | [key id | secret key (64) | checksum
//                 (32)] XOR scrypt(password)); checksum = BLAKE2b-256("Ed" | key id | secret key)
//   signature    "untrusted comment: ..." / base64("ED" | key id | Ed25519(BLAKE2b-512(file)))
//                 / "trusted comment: TEXT" / base64(Ed25519(signature (64) | TEXT))
//
// Everything read is untrusted: lines and base64 are decoded to exact lengths, algorithms are
// whitelisted, and secret keys live in sodium_malloc memory that is wiped when freed.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace migpkg::package {

using KeyId = std::array<unsigned char, 8>;

// How minisign prints a key id: the 8 bytes read little-endian, as 16 upper-case hex digits.
std::string key_id_hex(const KeyId& id);

// A key file or signature that cannot be used; the message says which and why.
class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PublicKey {
  KeyId id{};
  std::array<unsigned char, 32> key{};
  std::string source;  // the file it came from, for messages
};

// 64 bytes of Ed25519 secret key in guarded memory (sodium_malloc), wiped on destruction.
class SecretKey {
 public:
  SecretKey();
  ~SecretKey();
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  SecretKey(SecretKey&& other) noexcept;

  KeyId id{};
  unsigned char* bytes() { return bytes_; }
  const unsigned char* bytes() const { return bytes_; }
  PublicKey public_key() const;  // the last 32 bytes of an Ed25519 secret key

 private:
  unsigned char* bytes_ = nullptr;
};

struct KeyPair {
  SecretKey secret;
  PublicKey public_key;
};

KeyPair generate_key_pair();

// scrypt cost written into new encrypted secret keys (minisign reads them from the file).
struct KdfCost {
  std::uint64_t opslimit = 1ull << 23;
  std::uint64_t memlimit = 1ull << 26;  // 64 MiB
};

std::string format_public_key(const PublicKey& key);
PublicKey parse_public_key(const std::string& text, const std::string& source);

// No password: minisign's unencrypted form (kdf algorithm 0,0, as `minisign -G -W` writes).
std::string format_secret_key(const SecretKey& key, const std::optional<std::string>& password,
                              const KdfCost& cost = {});
bool secret_key_is_encrypted(const std::string& text, const std::string& source);
// `password` is asked for only when the key is encrypted. A wrong password is a KeyError.
SecretKey parse_secret_key(const std::string& text, const std::string& source,
                           const std::function<std::string()>& password);

struct Signature {
  KeyId key_id{};
  bool prehashed = true;  // "ED": signs BLAKE2b-512 of the message; "Ed": the message itself
  std::array<unsigned char, 64> signature{};
  std::string trusted_comment;
  std::array<unsigned char, 64> global_signature{};
};

// A minisign signature file for `message`, signed prehashed; checked against the public key
// before it is returned (as minisign does), so a damaged key never yields a bad signature.
std::string sign_message(const SecretKey& key, const std::string& message,
                         const std::string& trusted_comment);
Signature parse_signature(const std::string& text, const std::string& source);
// Both the message signature and the trusted comment's signature; a KeyError says which failed.
void verify_signature(const PublicKey& key, const Signature& signature, const std::string& message);

}  // namespace migpkg::package
