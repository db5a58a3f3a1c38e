#pragma once
// HKDF-SHA256 (RFC 5869) over libsodium's HMAC-SHA256: Debian 12's libsodium 1.0.18 has no
// crypto_kdf_hkdf_sha256_*. age derives every key from the file key with it.
#include <cstddef>
#include <string_view>

namespace migpkg::crypto {

// Writes `out_size` bytes (at most 255 * 32) of HKDF-SHA256(ikm, salt, info). An empty salt is
// RFC 5869's default: 32 zero bytes.
void hkdf_sha256(const unsigned char* ikm, std::size_t ikm_size, const unsigned char* salt,
                 std::size_t salt_size, std::string_view info, unsigned char* out,
                 std::size_t out_size);

}  // namespace migpkg::crypto
