#include "compiler/util/sha256.hpp"

// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, but they are the same
// code (the assembly that uses the SHA extensions) without what EVP brings along: the first
// EVP_MD_fetch initializes OpenSSL's library context, reads its configuration file and sets up
// its providers, about 2 ms of every migpkg command that computes a checksum. They also need
// nothing else from libcrypto, so the executable links libcrypto.a and takes only them, with no
// shared libcrypto to map and relocate at start-up (CMakeLists.txt).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <new>
#include <stdexcept>

namespace migpkg {
namespace {

static_assert(sizeof(SHA256_CTX) <= sizeof(unsigned char[112]) && alignof(SHA256_CTX) <= 8,
              "Sha256::state_ must hold OpenSSL's SHA256_CTX");

SHA256_CTX* context(unsigned char* state) {
  return std::launder(reinterpret_cast<SHA256_CTX*>(state));
}

}  // namespace

Sha256::Sha256() {
  if (SHA256_Init(new (state_) SHA256_CTX) != 1)
    throw std::runtime_error("cannot start a SHA-256 hash");
}

void Sha256::update(const void* data, std::size_t size) {
  if (SHA256_Update(context(state_), data, size) != 1)
    throw std::runtime_error("SHA-256 update failed");
}

std::array<unsigned char, 32> Sha256::digest() {
  std::array<unsigned char, 32> out{};
  static_assert(SHA256_DIGEST_LENGTH == 32);
  if (SHA256_Final(out.data(), context(state_)) != 1)
    throw std::runtime_error("SHA-256 final failed");
  return out;
}

std::string Sha256::hex_digest() {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : digest()) {
    out += hex[byte >> 4];
    out += hex[byte & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 hash;
  hash.update(data);
  return hash.hex_digest();
}

}  // namespace migpkg
