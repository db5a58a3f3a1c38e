#include "runtime/package/file_hash.hpp"

#include <stdexcept>

namespace migpkg::package {

FileHasher::FileHasher() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  crypto_generichash_init(&state_, nullptr, 0, 32);
}

void FileHasher::update(const char* data, std::size_t size) {
  crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(data), size);
}

std::string FileHasher::hex() {
  unsigned char hash[32];
  crypto_generichash_final(&state_, hash, sizeof hash);
  char text[65];
  sodium_bin2hex(text, sizeof text, hash, sizeof hash);
  return text;
}

std::string hash_hex(const std::string& content) {
  FileHasher hasher;
  hasher.update(content.data(), content.size());
  return hasher.hex();
}

}  // namespace migpkg::package
