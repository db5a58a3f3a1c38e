#pragma once
// The two recipient types of age's core (c2sp.org/age):
//   X25519   "-> X25519 base64(ephemeral share)", body = ChaCha20-Poly1305(wrap key, zero nonce,
//            file key), wrap key = HKDF-SHA256(salt = share | recipient, ikm = X25519(eph,
//            recipient), info "age-encryption.org/v1/X25519")
//   scrypt   "-> scrypt base64(salt16) LOG2N", wrap key = scrypt(passphrase, salt =
//            "age-encryption.org/v1/scrypt" | salt16, N = 2^LOG2N, r = 8, p = 1)
// An unwrap returns nothing when the stanza is not for these keys, and throws AgeError
// (malformed) when the stanza breaks its type's rules.
#include <optional>
#include <string>

#include "runtime/crypto/age_header.hpp"
#include "runtime/crypto/age_keys.hpp"
#include "runtime/crypto/secret_buffer.hpp"

namespace migpkg::crypto {

inline constexpr std::size_t kAgeFileKeyBytes = 16;
// age's default work factor for new passphrase files (about a second).
inline constexpr int kAgeDefaultWorkFactor = 18;
// The highest work factor we accept when decrypting. scrypt with r = 8 needs 1 KiB * 2^N of
// memory: 18 is 256 MiB, 20 is 1 GiB. age accepts up to 22 (4 GiB); we stop at 20 so that a
// hostile file cannot make us allocate more than 1 GiB.
inline constexpr int kAgeMaxWorkFactor = 20;

AgeStanza wrap_x25519(const AgeRecipient& recipient, const SecretBuffer& file_key);
std::optional<SecretBuffer> unwrap_x25519(const AgeStanza& stanza, const AgeIdentity& identity);

AgeStanza wrap_scrypt(const SecretBuffer& passphrase, int work_factor,
                      const SecretBuffer& file_key);
std::optional<SecretBuffer> unwrap_scrypt(const AgeStanza& stanza, const SecretBuffer& passphrase,
                                          int max_work_factor = kAgeMaxWorkFactor);

}  // namespace migpkg::crypto
