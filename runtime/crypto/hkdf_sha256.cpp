#include "runtime/crypto/hkdf_sha256.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "runtime/crypto/secret_buffer.hpp"

namespace migpkg::crypto {

void hkdf_sha256(const unsigned char* ikm, std::size_t ikm_size, const unsigned char* salt,
                 std::size_t salt_size, std::string_view info, unsigned char* out,
                 std::size_t out_size) {
  constexpr std::size_t kHash = crypto_auth_hmacsha256_BYTES;
  if (out_size > 255 * kHash) throw std::invalid_argument("HKDF-SHA256 output over 8160 bytes");
  ensure_sodium();
  const unsigned char zeros[kHash] = {};
  if (salt_size == 0) {
    salt = zeros;
    salt_size = kHash;
  }
  // Extract: PRK = HMAC(salt, IKM). The state holds key-derived bytes, so it is secret too.
  SecretBuffer prk(kHash);
  SecretBuffer state_bytes(sizeof(crypto_auth_hmacsha256_state));
  auto* state = reinterpret_cast<crypto_auth_hmacsha256_state*>(state_bytes.data());
  crypto_auth_hmacsha256_init(state, salt, salt_size);
  crypto_auth_hmacsha256_update(state, ikm, ikm_size);
  crypto_auth_hmacsha256_final(state, prk.data());
  // Expand: T(i) = HMAC(PRK, T(i-1) | info | i).
  SecretBuffer block(kHash);
  std::size_t done = 0;
  for (unsigned counter = 1; done < out_size; ++counter) {
    crypto_auth_hmacsha256_init(state, prk.data(), kHash);
    if (counter > 1) crypto_auth_hmacsha256_update(state, block.data(), kHash);
    crypto_auth_hmacsha256_update(state, reinterpret_cast<const unsigned char*>(info.data()),
                                  info.size());
    const auto byte = static_cast<unsigned char>(counter);
    crypto_auth_hmacsha256_update(state, &byte, 1);
    crypto_auth_hmacsha256_final(state, block.data());
    const std::size_t take = std::min(kHash, out_size - done);
    std::copy(block.data(), block.data() + take, out + done);
    done += take;
  }
}

}  // namespace migpkg::crypto
