#pragma once
// Bech32 (BIP-173, checksum constant 1) as age spells keys: recipients `age1...` (lower case)
// and identities `AGE-SECRET-KEY-1...` (upper case). Like age, no 90-character limit.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace migpkg::crypto {

class Bech32Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Bech32Data {
  std::string hrp;                  // always lower case
  std::vector<unsigned char> data;  // 8-bit bytes
};

// `upper` writes the whole string in upper case (identities).
std::string bech32_encode(std::string_view hrp, const unsigned char* data, std::size_t size,
                          bool upper = false);
// Refuses mixed case, characters outside the alphabet, a bad checksum and non-zero padding.
Bech32Data bech32_decode(std::string_view text);

}  // namespace migpkg::crypto
