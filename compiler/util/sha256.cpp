#include "compiler/util/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace migpkg {
namespace {

// Fetched once: OpenSSL 3 would otherwise look the implementation up on every init.
const EVP_MD* sha256_algorithm() {
  static EVP_MD* algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (!algorithm) throw std::runtime_error("OpenSSL has no SHA-256");
  return algorithm;
}

}  // namespace

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (!context_ || EVP_DigestInit_ex(context_, sha256_algorithm(), nullptr) != 1) {
    EVP_MD_CTX_free(context_);
    throw std::runtime_error("cannot start a SHA-256 hash");
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(context_);
}

void Sha256::update(const void* data, std::size_t size) {
  if (EVP_DigestUpdate(context_, data, size) != 1)
    throw std::runtime_error("SHA-256 update failed");
}

std::array<unsigned char, 32> Sha256::digest() {
  std::array<unsigned char, 32> out{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_, out.data(), &length) != 1 || length != out.size())
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
