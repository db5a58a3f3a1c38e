#include "runtime/crypto/secret_buffer.hpp"

#include <sodium.h>

#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

namespace migpkg::crypto {

void ensure_sodium() {
  static std::once_flag once;
  static int status = 0;
  std::call_once(once, [] { status = sodium_init(); });
  if (status < 0) throw std::runtime_error("libsodium failed to initialise");
}

SecretBuffer::SecretBuffer(std::size_t size) : size_(size) {
  ensure_sodium();
  bytes_ = static_cast<unsigned char*>(sodium_malloc(size == 0 ? 1 : size));
  if (bytes_ == nullptr) throw std::bad_alloc();
}

SecretBuffer::~SecretBuffer() {
  if (bytes_ != nullptr) sodium_free(bytes_);  // sodium_free wipes before freeing
}

SecretBuffer::SecretBuffer(SecretBuffer&& other) noexcept
    : bytes_(std::exchange(other.bytes_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBuffer& SecretBuffer::operator=(SecretBuffer&& other) noexcept {
  if (this != &other) {
    if (bytes_ != nullptr) sodium_free(bytes_);
    bytes_ = std::exchange(other.bytes_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

}  // namespace migpkg::crypto
