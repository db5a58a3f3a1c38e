#pragma once
// Bytes of key material in libsodium's guarded memory (sodium_malloc: guard pages, no swap where
// the system allows it), wiped when freed. File keys, wrap keys, identities and passphrase-derived
// keys live here and nowhere else.
#include <cstddef>

namespace migpkg::crypto {

// Calls sodium_init once; throws when libsodium cannot start.
void ensure_sodium();

class SecretBuffer {
 public:
  explicit SecretBuffer(std::size_t size);
  ~SecretBuffer();
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  SecretBuffer(SecretBuffer&& other) noexcept;
  SecretBuffer& operator=(SecretBuffer&& other) noexcept;

  unsigned char* data() { return bytes_; }
  const unsigned char* data() const { return bytes_; }
  std::size_t size() const { return size_; }

 private:
  unsigned char* bytes_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace migpkg::crypto
