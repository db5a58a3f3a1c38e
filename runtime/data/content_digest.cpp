#include "runtime/data/content_digest.hpp"

#include <cstring>

#include "compiler/util/sha256.hpp"

namespace migpkg::data {
namespace {

// A row's encoding is gathered here and hashed in few updates (most rows in one) rather than
// one update per value and per length prefix, each a call into OpenSSL that copies a few bytes
// into its block buffer. Values longer than half the buffer go to the hash directly.
class RowBytes {
 public:
  explicit RowBytes(Sha256& sha) : sha_(sha) {}
  void put(const void* data, std::size_t size) {
    if (used_ + size > sizeof bytes_) {
      flush();
      if (size > sizeof bytes_ / 2) {
        sha_.update(data, size);
        return;
      }
    }
    std::memcpy(bytes_ + used_, data, size);
    used_ += size;
  }
  // `number` as 8 bytes little-endian. Stored whole rather than byte by byte into a staging
  // array: eight byte stores read back as one 8-byte load stall the CPU's store forwarding,
  // which was a tenth of export's reader thread.
  void put_le64(std::uint64_t number) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    number = __builtin_bswap64(number);
#endif
    put(&number, sizeof number);
  }
  void flush() {
    if (used_) sha_.update(bytes_, used_);
    used_ = 0;
  }

 private:
  Sha256& sha_;
  unsigned char bytes_[1024];
  std::size_t used_ = 0;
};

// A value's encoding: a NULL is one 0x00 byte; a value is 0x01, its length as 8 bytes
// little-endian, then its bytes. The length prefix keeps ("ab", "c") and ("a", "bc") apart, the
// marker keeps NULL apart from "".
void hash_value(RowBytes& out, const Value& value) {
  if (!value) {
    const unsigned char null_marker = 0;
    out.put(&null_marker, 1);
    return;
  }
  const unsigned char value_marker = 1;
  out.put(&value_marker, 1);
  out.put_le64(value->size());
  out.put(value->data(), value->size());
}

// `number` (32 bytes, a little-endian 256-bit number) added to `sum` modulo 2^256.
void add_to(std::array<std::uint8_t, 32>& sum, const unsigned char* number) {
  unsigned carry = 0;
  for (std::size_t i = 0; i < sum.size(); ++i) {
    unsigned total = unsigned(sum[i]) + unsigned(number[i]) + carry;
    sum[i] = static_cast<std::uint8_t>(total);
    carry = total >> 8;
  }
}

}  // namespace

void ContentDigest::add(const Row& row) {
  Sha256 sha;
  RowBytes out(sha);
  // The value count first: a row (a) and a row (a, NULL) are different rows.
  out.put_le64(row.size());
  for (const Value& value : row) hash_value(out, value);
  out.flush();
  const std::array<unsigned char, 32> digest = sha.digest();
  add_to(sum_, digest.data());
  ++rows_;
}

void ContentDigest::add(const ContentDigest& rows) {
  add_to(sum_, rows.sum_.data());
  rows_ += rows.rows_;
}

std::string ContentDigest::hex() const {
  static const char digits[] = "0123456789abcdef";
  std::string out = "sha256-sum:";
  // Most significant byte first, as a number is written.
  for (std::size_t i = sum_.size(); i-- > 0;) {
    out += digits[sum_[i] >> 4];
    out += digits[sum_[i] & 15];
  }
  return out;
}

}  // namespace migpkg::data
