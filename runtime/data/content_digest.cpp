#include "runtime/data/content_digest.hpp"

#include <cstring>

#include "compiler/util/sha256.hpp"

namespace migpkg::data {
namespace {

// `number` as 8 bytes little-endian at `at`; returns the position after them. Stored whole
// rather than byte by byte: eight byte stores read back as one 8-byte load stall the CPU's store
// forwarding.
unsigned char* put_le64(unsigned char* at, std::uint64_t number) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  number = __builtin_bswap64(number);
#endif
  std::memcpy(at, &number, sizeof number);
  return at + sizeof number;
}

// The sum's limbs are 64-bit words, limb 0 the least significant.
using Limbs = std::array<std::uint64_t, 4>;

// A digest's 32 bytes read as a 256-bit number, least significant byte first.
Limbs limbs_of(const std::array<unsigned char, 32>& digest) {
  Limbs limbs;
  for (std::size_t i = 0; i < limbs.size(); ++i) {
    std::memcpy(&limbs[i], digest.data() + 8 * i, sizeof limbs[i]);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    limbs[i] = __builtin_bswap64(limbs[i]);
#endif
  }
  return limbs;
}

// `number` added to `sum` modulo 2^256.
void add_to(Limbs& sum, const Limbs& number) {
  unsigned carry = 0;
  for (std::size_t i = 0; i < sum.size(); ++i) {
    const std::uint64_t partial = sum[i] + number[i];
    const unsigned carried = partial < number[i];
    sum[i] = partial + carry;
    carry = carried | (sum[i] < partial);
  }
}

// A row's encoding is gathered in a buffer on the stack and hashed in few updates (most rows in
// one) rather than one update per value and per length prefix, each a call into OpenSSL that
// copies a few bytes into its block buffer. The write position is a local pointer, which stays in
// a register across the copies (as a member of an object whose address OpenSSL had, it was
// stored and loaded around every copy: a third of this function in `perf annotate`). A value too
// long for the buffer goes to the hash directly.
//
// A value's encoding: a NULL is one 0x00 byte; a value is 0x01, its length as 8 bytes
// little-endian, then its bytes. The length prefix keeps ("ab", "c") and ("a", "bc") apart, the
// marker keeps NULL apart from "". The row starts with its value count: a row (a) and a row
// (a, NULL) are different rows.
template <typename Values>
std::array<unsigned char, 32> row_digest(const Values& row) {
  Sha256 sha;
  unsigned char buffer[1024];
  unsigned char* at = put_le64(buffer, row.size());
  unsigned char* const end = buffer + sizeof buffer;
  for (const auto& value : row) {
    const std::size_t size = value ? value->size() : 0;
    if (static_cast<std::size_t>(end - at) < 9 + size) {
      sha.update(buffer, static_cast<std::size_t>(at - buffer));
      at = buffer;
      if (9 + size > sizeof buffer) {  // marker and length here, the bytes straight to the hash
        *at++ = 1;
        at = put_le64(at, size);
        sha.update(buffer, static_cast<std::size_t>(at - buffer));
        sha.update(value->data(), size);
        at = buffer;
        continue;
      }
    }
    if (!value) {
      *at++ = 0;
      continue;
    }
    *at++ = 1;
    at = put_le64(at, size);
    std::memcpy(at, value->data(), size);
    at += size;
  }
  sha.update(buffer, static_cast<std::size_t>(at - buffer));
  return sha.digest();
}

}  // namespace

void ContentDigest::add(const Row& row) {
  add_to(sum_, limbs_of(row_digest(row)));
  ++rows_;
}

void ContentDigest::add(const ValueViews& row) {
  add_to(sum_, limbs_of(row_digest(row)));
  ++rows_;
}

void ContentDigest::add(const ContentDigest& rows) {
  add_to(sum_, rows.sum_);
  rows_ += rows.rows_;
}

std::string ContentDigest::hex() const {
  static const char digits[] = "0123456789abcdef";
  std::string out = "sha256-sum:";
  // Most significant byte first, as a number is written.
  for (std::size_t limb = sum_.size(); limb-- > 0;)
    for (int shift = 60; shift >= 0; shift -= 4) out += digits[(sum_[limb] >> shift) & 15];
  return out;
}

}  // namespace migpkg::data
