#pragma once
// The hash a manifest records for every file: BLAKE2b-256 (libsodium's crypto_generichash),
// as lower-case hex. Chosen over SHA-256 for speed: verifying is hashing, and the target is
// 300 MB/s on one small core.
#include <sodium.h>

#include <string>

namespace migpkg::package {

inline constexpr const char* kHashAlgorithm = "blake2b-256";

class FileHasher {
 public:
  FileHasher();
  void update(const char* data, std::size_t size);
  std::string hex();  // finishes the hash

 private:
  crypto_generichash_state state_;
};

std::string hash_hex(const std::string& content);

}  // namespace migpkg::package
