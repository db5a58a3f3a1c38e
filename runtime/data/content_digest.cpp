#include "runtime/data/content_digest.hpp"

#include "compiler/util/sha256.hpp"

namespace migpkg::data {
namespace {

// A value's encoding: a NULL is one 0x00 byte; a value is 0x01, its length as 8 bytes
// little-endian, then its bytes. The length prefix keeps ("ab", "c") and ("a", "bc") apart, the
// marker keeps NULL apart from "".
void hash_value(Sha256& sha, const Value& value) {
  if (!value) {
    const unsigned char null_marker = 0;
    sha.update(&null_marker, 1);
    return;
  }
  unsigned char head[9];
  head[0] = 1;
  std::uint64_t size = value->size();
  for (int i = 0; i < 8; ++i) head[1 + i] = static_cast<unsigned char>(size >> (8 * i));
  sha.update(head, sizeof head);
  sha.update(*value);
}

}  // namespace

void ContentDigest::add(const Row& row) {
  Sha256 sha;
  // The value count first: a row (a) and a row (a, NULL) are different rows.
  unsigned char count[8];
  for (int i = 0; i < 8; ++i)
    count[i] = static_cast<unsigned char>(std::uint64_t(row.size()) >> (8 * i));
  sha.update(count, sizeof count);
  for (const Value& value : row) hash_value(sha, value);
  const std::array<unsigned char, 32> digest = sha.digest();
  // The digest read as a little-endian 256-bit number, added modulo 2^256.
  unsigned carry = 0;
  for (std::size_t i = 0; i < sum_.size(); ++i) {
    unsigned total = unsigned(sum_[i]) + unsigned(digest[i]) + carry;
    sum_[i] = static_cast<std::uint8_t>(total);
    carry = total >> 8;
  }
  ++rows_;
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
