#pragma once
// Incremental SHA-256 through OpenSSL's SHA256_* functions, which use the CPU's SHA extensions
// where there are some: checksums of every migration (sha256-v1) and backup files are hashed on
// the critical path of install, and libsodium's portable SHA-256 cost a run of 500 small
// migrations about 3% of its time. Why not OpenSSL's EVP interface: see sha256.cpp.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace migpkg {

class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }
  std::array<unsigned char, 32> digest();  // finishes the hash; call once
  std::string hex_digest();                // the same as lower-case hex

 private:
  // OpenSSL's SHA256_CTX (112 bytes), kept here without its header (checked in sha256.cpp).
  alignas(8) unsigned char state_[112];
};

std::string sha256_hex(std::string_view data);

}  // namespace migpkg
