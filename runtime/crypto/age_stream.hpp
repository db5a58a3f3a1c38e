#pragma once
// Encrypting and decrypting age files as streams: memory holds one 64 KiB chunk, whatever the
// file's size. The payload (c2sp.org/age, "Payload") is a 16-byte nonce, then STREAM chunks of
// ChaCha20-Poly1305 under HKDF-SHA256(salt = nonce, file key, "payload"); each chunk's 12-byte
// nonce is an 11-byte big-endian counter and a last-chunk flag byte. Every chunk holds 64 KiB
// of plaintext but the last, which is shorter or full and is empty only in an empty file.
//
//   AgeEncryptor enc(sink, AgeEncryptTo{...});   enc.write(...)...; enc.finish();
//   AgeDecryptor dec(source, AgeDecryptWith{...}); while (n = dec.read(...)) ...
//
// The encryptor writes to a function (like data::ZstdCompressor), the decryptor reads from one,
// so both wrap a file, a pipe or another stream. A decryptor returns no plaintext it has not
// authenticated; its read() returns 0 only after the last chunk authenticated and the source
// ended right there. Failures are AgeError.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/crypto/age_header.hpp"
#include "runtime/crypto/age_keys.hpp"
#include "runtime/crypto/age_stanzas.hpp"
#include "runtime/crypto/secret_buffer.hpp"

namespace migpkg::crypto {

inline constexpr std::size_t kAgeChunkBytes = 64 * 1024;

using AgeSink = std::function<void(const char* data, std::size_t size)>;
// Fills up to `size` bytes; returns 0 only at the end of the input.
using AgeSource = std::function<std::size_t(char* data, std::size_t size)>;

SecretBuffer secret_from_string(const std::string& text);

// Recipients, or one passphrase (age allows an scrypt stanza only alone).
struct AgeEncryptTo {
  std::vector<AgeRecipient> recipients;
  std::optional<SecretBuffer> passphrase;
  int work_factor = kAgeDefaultWorkFactor;
};

// The file key a decryptor found, kept for the next decryptor of the same file (a data set is
// read several times: scrypt then runs once). A key is reused only when the header's MAC
// verifies under it; otherwise the stanzas are opened as usual.
struct AgeFileKeyCache {
  std::optional<SecretBuffer> key;
};

struct AgeDecryptWith {
  std::vector<AgeIdentity> identities;
  std::optional<SecretBuffer> passphrase;
  int max_work_factor = kAgeMaxWorkFactor;
  std::shared_ptr<AgeFileKeyCache> cache;  // optional
};

class AgeEncryptor {
 public:
  // Writes the header and the payload nonce at once.
  AgeEncryptor(AgeSink sink, const AgeEncryptTo& to);
  AgeEncryptor(const AgeEncryptor&) = delete;
  AgeEncryptor& operator=(const AgeEncryptor&) = delete;
  void write(const char* data, std::size_t size);
  void finish();  // writes the last chunk; required, or the file is truncated

 private:
  void seal_chunk(bool last);
  AgeSink sink_;
  SecretBuffer payload_key_;
  std::vector<unsigned char> plain_;
  std::vector<unsigned char> sealed_;
  std::uint64_t counter_ = 0;
  bool finished_ = false;
};

class AgeDecryptor {
 public:
  // Reads and checks the header: a stanza opens with `with`, then the MAC verifies.
  AgeDecryptor(AgeSource source, const AgeDecryptWith& with);
  AgeDecryptor(const AgeDecryptor&) = delete;
  AgeDecryptor& operator=(const AgeDecryptor&) = delete;
  std::size_t read(char* data, std::size_t size);
  // Reads to the end, authenticating every chunk, and returns the plaintext's size.
  std::uint64_t read_to_end();
  const AgeHeader& header() const { return header_; }

 private:
  std::size_t fill(unsigned char* data, std::size_t size);
  void open_next_chunk();
  AgeSource source_;
  AgeHeader header_;
  std::string pending_;  // bytes read past the header
  SecretBuffer payload_key_;
  std::vector<unsigned char> sealed_;
  std::vector<unsigned char> plain_;
  std::size_t plain_size_ = 0;
  std::size_t plain_at_ = 0;
  std::uint64_t counter_ = 0;
  bool carry_ = false;  // the byte read past a full chunk, the next chunk's first
  unsigned char carry_byte_ = 0;
  bool done_ = false;
};

// The file key from the header's stanzas; the refusal names the stanzas ("no identity matches:
// the file's stanzas are X25519 x2, unknown-type \"foo\"").
SecretBuffer unwrap_file_key(const AgeHeader& header, const AgeDecryptWith& with);

// Whether `start` (a file's first bytes) begins like an age file, binary or ASCII-armored.
bool looks_like_age(std::string_view start);
bool looks_like_armored_age(std::string_view start);

}  // namespace migpkg::crypto
