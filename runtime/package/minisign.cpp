#include "runtime/package/minisign.hpp"

#include <sodium.h>

#include <cstring>
#include <mutex>
#include <vector>

namespace migpkg::package {
namespace {

constexpr std::size_t kKeyIdBytes = 8;
constexpr std::size_t kSaltBytes = crypto_pwhash_scryptsalsa208sha256_SALTBYTES;  // 32
constexpr std::size_t kChecksumBytes = crypto_generichash_BYTES;                  // 32
constexpr std::size_t kSecretBytes = crypto_sign_SECRETKEYBYTES;                  // 64
// key id | secret key | checksum: the part of a secret key file the password encrypts.
constexpr std::size_t kSealedBytes = kKeyIdBytes + kSecretBytes + kChecksumBytes;
constexpr std::size_t kSecretFileBytes = 2 + 2 + 2 + kSaltBytes + 8 + 8 + kSealedBytes;
constexpr std::size_t kMaxTrustedComment = 1024;  // minisign's COMMENTMAXBYTES
// A hostile key file could ask scrypt for any amount of memory: allow twice minisign's default.
constexpr std::uint64_t kMaxKdfMemory = 2ull << 30;

void ensure_sodium() {
  static std::once_flag once;
  static int status = 0;
  std::call_once(once, [] { status = sodium_init(); });
  if (status < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Decodes exactly `size` bytes or fails: no padding games, no trailing data.
bool unbase64(const std::string& text, unsigned char* out, std::size_t size) {
  if (text.size() > 4 * ((size + 2) / 3)) return false;
  std::size_t decoded = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out, size, text.data(), text.size(), nullptr, &decoded, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  return decoded == size && end == text.data() + text.size();
}

// The file's lines without line endings; a file that is not a few short lines is refused.
std::vector<std::string> lines_of(const std::string& text, const std::string& what,
                                  const std::string& source) {
  if (text.size() > 8192) throw KeyError(source + ": not a " + what + " file (too large)");
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    start = end + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

void store_le64(unsigned char* out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(value >> (8 * i));
}
std::uint64_t load_le64(const unsigned char* in) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | in[i];
  return value;
}

void secret_checksum(unsigned char out[kChecksumBytes], const KeyId& id,
                     const unsigned char* secret) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kChecksumBytes);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>("Ed"), 2);
  crypto_generichash_update(&state, id.data(), id.size());
  crypto_generichash_update(&state, secret, kSecretBytes);
  crypto_generichash_final(&state, out, kChecksumBytes);
}

// XORs the sealed part with the scrypt stream of the password.
void apply_password(unsigned char* sealed, const std::string& password, const unsigned char* salt,
                    std::uint64_t opslimit, std::uint64_t memlimit, const std::string& source) {
  auto* stream = static_cast<unsigned char*>(sodium_malloc(kSealedBytes));
  if (!stream) throw std::bad_alloc();
  int status =
      crypto_pwhash_scryptsalsa208sha256(stream, kSealedBytes, password.data(), password.size(),
                                         salt, opslimit, static_cast<size_t>(memlimit));
  if (status == 0)
    for (std::size_t i = 0; i < kSealedBytes; ++i) sealed[i] ^= stream[i];
  sodium_free(stream);
  if (status != 0) throw KeyError(source + ": key derivation failed (out of memory?)");
}

// The BLAKE2b-512 of the message, which "ED" (prehashed) signatures sign.
std::array<unsigned char, 64> prehash(const std::string& message) {
  std::array<unsigned char, 64> hash{};
  crypto_generichash(hash.data(), hash.size(),
                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                     nullptr, 0);
  return hash;
}

}  // namespace

std::string key_id_hex(const KeyId& id) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (int i = 7; i >= 0; --i) {
    out += digits[id[static_cast<std::size_t>(i)] >> 4];
    out += digits[id[static_cast<std::size_t>(i)] & 15];
  }
  return out;
}

SecretKey::SecretKey() {
  ensure_sodium();
  bytes_ = static_cast<unsigned char*>(sodium_malloc(kSecretBytes));
  if (!bytes_) throw std::bad_alloc();
  sodium_memzero(bytes_, kSecretBytes);
}

SecretKey::~SecretKey() {
  if (bytes_) sodium_free(bytes_);  // wipes before freeing
}

SecretKey::SecretKey(SecretKey&& other) noexcept : id(other.id), bytes_(other.bytes_) {
  other.bytes_ = nullptr;
}

PublicKey SecretKey::public_key() const {
  PublicKey key;
  key.id = id;
  std::memcpy(key.key.data(), bytes_ + 32, 32);
  return key;
}

KeyPair generate_key_pair() {
  ensure_sodium();
  SecretKey secret;
  std::array<unsigned char, 32> public_bytes{};
  crypto_sign_keypair(public_bytes.data(), secret.bytes());
  randombytes_buf(secret.id.data(), secret.id.size());
  PublicKey public_key = secret.public_key();
  return KeyPair{std::move(secret), public_key};
}

std::string format_public_key(const PublicKey& key) {
  unsigned char raw[2 + kKeyIdBytes + 32];
  std::memcpy(raw, "Ed", 2);
  std::memcpy(raw + 2, key.id.data(), kKeyIdBytes);
  std::memcpy(raw + 2 + kKeyIdBytes, key.key.data(), 32);
  return "untrusted comment: minisign public key " + key_id_hex(key.id) + "\n" +
         base64(raw, sizeof raw) + "\n";
}

PublicKey parse_public_key(const std::string& text, const std::string& source) {
  ensure_sodium();
  auto lines = lines_of(text, "minisign public key", source);
  if (lines.size() != 2 || !starts_with(lines[0], "untrusted comment:"))
    throw KeyError(source +
                   ": not a minisign public key file (expected an 'untrusted comment:' "
                   "line and a key line)");
  unsigned char raw[2 + kKeyIdBytes + 32];
  if (!unbase64(lines[1], raw, sizeof raw))
    throw KeyError(source + ": not a minisign public key (the key line is not 42 bytes of base64)");
  if (std::memcmp(raw, "Ed", 2) != 0)
    throw KeyError(source + ": unsupported key algorithm (only Ed25519 'Ed' keys)");
  PublicKey key;
  std::memcpy(key.id.data(), raw + 2, kKeyIdBytes);
  std::memcpy(key.key.data(), raw + 2 + kKeyIdBytes, 32);
  key.source = source;
  return key;
}

std::string format_secret_key(const SecretKey& key, const std::optional<std::string>& password,
                              const KdfCost& cost) {
  ensure_sodium();
  auto* raw = static_cast<unsigned char*>(sodium_malloc(kSecretFileBytes));
  if (!raw) throw std::bad_alloc();
  sodium_memzero(raw, kSecretFileBytes);
  std::memcpy(raw, "Ed", 2);
  if (password) std::memcpy(raw + 2, "Sc", 2);  // else 0,0: not encrypted
  std::memcpy(raw + 4, "B2", 2);
  unsigned char* salt = raw + 6;
  unsigned char* sealed = salt + kSaltBytes + 16;
  if (password) {
    randombytes_buf(salt, kSaltBytes);
    store_le64(salt + kSaltBytes, cost.opslimit);
    store_le64(salt + kSaltBytes + 8, cost.memlimit);
  }
  std::memcpy(sealed, key.id.data(), kKeyIdBytes);
  std::memcpy(sealed + kKeyIdBytes, key.bytes(), kSecretBytes);
  secret_checksum(sealed + kKeyIdBytes + kSecretBytes, key.id, key.bytes());
  std::string out;
  try {
    if (password) apply_password(sealed, *password, salt, cost.opslimit, cost.memlimit, "new key");
    out = std::string("untrusted comment: minisign ") + (password ? "encrypted " : "") +
          "secret key\n" + base64(raw, kSecretFileBytes) + "\n";
  } catch (...) {
    sodium_free(raw);
    throw;
  }
  sodium_free(raw);
  return out;
}

namespace {

// Decodes a secret key file into guarded memory (caller frees with sodium_free).
unsigned char* decode_secret_file(const std::string& text, const std::string& source) {
  ensure_sodium();
  auto lines = lines_of(text, "minisign secret key", source);
  if (lines.size() != 2 || !starts_with(lines[0], "untrusted comment:"))
    throw KeyError(source + ": not a minisign secret key file");
  auto* raw = static_cast<unsigned char*>(sodium_malloc(kSecretFileBytes));
  if (!raw) throw std::bad_alloc();
  if (!unbase64(lines[1], raw, kSecretFileBytes)) {
    sodium_free(raw);
    throw KeyError(source + ": not a minisign secret key (the key line has the wrong length)");
  }
  bool known_kdf = std::memcmp(raw + 2, "Sc", 2) == 0 || (raw[2] == 0 && raw[3] == 0);
  if (std::memcmp(raw, "Ed", 2) != 0 || !known_kdf || std::memcmp(raw + 4, "B2", 2) != 0) {
    sodium_free(raw);
    throw KeyError(source +
                   ": unsupported secret key algorithms (expected Ed25519, scrypt, "
                   "BLAKE2b)");
  }
  return raw;
}

}  // namespace

bool secret_key_is_encrypted(const std::string& text, const std::string& source) {
  unsigned char* raw = decode_secret_file(text, source);
  bool encrypted = raw[2] != 0 || raw[3] != 0;
  sodium_free(raw);
  return encrypted;
}

SecretKey parse_secret_key(const std::string& text, const std::string& source,
                           const std::function<std::string()>& password) {
  unsigned char* raw = decode_secret_file(text, source);
  struct Free {
    unsigned char* p;
    ~Free() { sodium_free(p); }
  } guard{raw};
  unsigned char* salt = raw + 6;
  unsigned char* sealed = salt + kSaltBytes + 16;
  bool encrypted = raw[2] != 0 || raw[3] != 0;
  if (encrypted) {
    std::uint64_t opslimit = load_le64(salt + kSaltBytes);
    std::uint64_t memlimit = load_le64(salt + kSaltBytes + 8);
    if (memlimit > kMaxKdfMemory || opslimit > (1ull << 36))
      throw KeyError(source + ": the key's scrypt parameters are unreasonably large");
    apply_password(sealed, password(), salt, opslimit, memlimit, source);
  }
  SecretKey key;
  std::memcpy(key.id.data(), sealed, kKeyIdBytes);
  std::memcpy(key.bytes(), sealed + kKeyIdBytes, kSecretBytes);
  unsigned char expected[kChecksumBytes];
  secret_checksum(expected, key.id, key.bytes());
  const unsigned char* stored = sealed + kKeyIdBytes + kSecretBytes;
  // `minisign -G -W` leaves the checksum of an unencrypted key zeroed (minisign checks it only
  // when decrypting), so for those the key's own consistency below is the check.
  bool unchecked = !encrypted && sodium_is_zero(stored, kChecksumBytes);
  if (!unchecked && sodium_memcmp(expected, stored, kChecksumBytes) != 0)
    throw KeyError(source + (encrypted ? ": wrong password (or a damaged key file)"
                                       : ": damaged secret key (checksum mismatch)"));
  // An Ed25519 secret key is seed | public key: the public half must follow from the seed.
  std::array<unsigned char, 32> derived{};
  auto* scratch = static_cast<unsigned char*>(sodium_malloc(kSecretBytes));
  if (!scratch) throw std::bad_alloc();
  crypto_sign_seed_keypair(derived.data(), scratch, key.bytes());
  sodium_free(scratch);
  if (sodium_memcmp(derived.data(), key.bytes() + 32, 32) != 0)
    throw KeyError(source + ": damaged secret key (its halves do not match)");
  return key;
}

std::string sign_message(const SecretKey& key, const std::string& message,
                         const std::string& trusted_comment) {
  ensure_sodium();
  if (trusted_comment.size() > kMaxTrustedComment ||
      trusted_comment.find_first_of("\r\n") != std::string::npos)
    throw KeyError("a trusted comment is one line of at most 1024 bytes");
  Signature sig;
  sig.key_id = key.id;
  auto hash = prehash(message);
  crypto_sign_detached(sig.signature.data(), nullptr, hash.data(), hash.size(), key.bytes());
  std::string global =
      std::string(reinterpret_cast<const char*>(sig.signature.data()), 64) + trusted_comment;
  crypto_sign_detached(sig.global_signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(global.data()), global.size(),
                       key.bytes());
  sig.trusted_comment = trusted_comment;
  verify_signature(key.public_key(), sig, message);

  unsigned char line[2 + kKeyIdBytes + 64];
  std::memcpy(line, "ED", 2);
  std::memcpy(line + 2, key.id.data(), kKeyIdBytes);
  std::memcpy(line + 2 + kKeyIdBytes, sig.signature.data(), 64);
  return "untrusted comment: signature from migpkg secret key\n" + base64(line, sizeof line) +
         "\ntrusted comment: " + trusted_comment + "\n" + base64(sig.global_signature.data(), 64) +
         "\n";
}

Signature parse_signature(const std::string& text, const std::string& source) {
  ensure_sodium();
  auto lines = lines_of(text, "minisign signature", source);
  const std::string trusted_prefix = "trusted comment: ";
  if (lines.size() != 4 || !starts_with(lines[0], "untrusted comment:") ||
      !starts_with(lines[2], trusted_prefix))
    throw KeyError(source +
                   ": not a minisign signature (expected four lines: untrusted "
                   "comment, signature, trusted comment, global signature)");
  Signature sig;
  unsigned char line[2 + kKeyIdBytes + 64];
  if (!unbase64(lines[1], line, sizeof line))
    throw KeyError(source + ": malformed signature line (not 74 bytes of base64)");
  if (std::memcmp(line, "ED", 2) == 0)
    sig.prehashed = true;
  else if (std::memcmp(line, "Ed", 2) == 0)
    sig.prehashed = false;
  else
    throw KeyError(source + ": unsupported signature algorithm (expected Ed25519)");
  std::memcpy(sig.key_id.data(), line + 2, kKeyIdBytes);
  std::memcpy(sig.signature.data(), line + 2 + kKeyIdBytes, 64);
  sig.trusted_comment = lines[2].substr(trusted_prefix.size());
  if (sig.trusted_comment.size() > kMaxTrustedComment)
    throw KeyError(source + ": trusted comment longer than 1024 bytes");
  if (!unbase64(lines[3], sig.global_signature.data(), 64))
    throw KeyError(source + ": malformed global signature line (not 64 bytes of base64)");
  return sig;
}

void verify_signature(const PublicKey& key, const Signature& signature,
                      const std::string& message) {
  ensure_sodium();
  if (signature.key_id != key.id)
    throw KeyError("signature key id " + key_id_hex(signature.key_id) +
                   " does not match public key " + key_id_hex(key.id));
  int status;
  if (signature.prehashed) {
    auto hash = prehash(message);
    status = crypto_sign_verify_detached(signature.signature.data(), hash.data(), hash.size(),
                                         key.key.data());
  } else {
    status = crypto_sign_verify_detached(signature.signature.data(),
                                         reinterpret_cast<const unsigned char*>(message.data()),
                                         message.size(), key.key.data());
  }
  if (status != 0)
    throw KeyError("signature verification failed with key " + key_id_hex(key.id) +
                   ": the signed file was changed or the signature is not from this key");
  std::string global = std::string(reinterpret_cast<const char*>(signature.signature.data()), 64) +
                       signature.trusted_comment;
  if (crypto_sign_verify_detached(signature.global_signature.data(),
                                  reinterpret_cast<const unsigned char*>(global.data()),
                                  global.size(), key.key.data()) != 0)
    throw KeyError("the trusted comment's signature does not verify with key " +
                   key_id_hex(key.id) + ": the trusted comment was changed");
}

}  // namespace migpkg::package
