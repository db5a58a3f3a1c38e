#include "runtime/crypto/bech32.hpp"

#include <cctype>
#include <cstdint>

namespace migpkg::crypto {
namespace {

constexpr char kAlphabet[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

std::uint32_t polymod(const std::vector<unsigned char>& values) {
  constexpr std::uint32_t kGenerator[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                           0x2a1462b3};
  std::uint32_t check = 1;
  for (const unsigned char value : values) {
    const std::uint32_t top = check >> 25;
    check = ((check & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) check ^= kGenerator[i];
    }
  }
  return check;
}

std::vector<unsigned char> expand_hrp(std::string_view hrp) {
  std::vector<unsigned char> out;
  for (const char c : hrp) out.push_back(static_cast<unsigned char>(c) >> 5);
  out.push_back(0);
  for (const char c : hrp) out.push_back(static_cast<unsigned char>(c) & 31);
  return out;
}

// Regroups bits; `pad` for encoding. Decoding refuses leftover bits that are not zero padding.
bool convert_bits(const unsigned char* in, std::size_t size, int from, int to, bool pad,
                  std::vector<unsigned char>& out) {
  std::uint32_t acc = 0;
  int bits = 0;
  const std::uint32_t max = (1u << to) - 1;
  for (std::size_t i = 0; i < size; ++i) {
    acc = (acc << from) | in[i];
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push_back(static_cast<unsigned char>((acc >> bits) & max));
    }
  }
  if (pad) {
    if (bits > 0) out.push_back(static_cast<unsigned char>((acc << (to - bits)) & max));
  } else if (bits >= from || ((acc << (to - bits)) & max) != 0) {
    return false;
  }
  return true;
}

}  // namespace

std::string bech32_encode(std::string_view hrp, const unsigned char* data, std::size_t size,
                          bool upper) {
  std::string lower_hrp;
  for (const char c : hrp)
    lower_hrp += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<unsigned char> values;
  convert_bits(data, size, 8, 5, true, values);
  std::vector<unsigned char> checked = expand_hrp(lower_hrp);
  checked.insert(checked.end(), values.begin(), values.end());
  checked.insert(checked.end(), 6, 0);
  const std::uint32_t mod = polymod(checked) ^ 1;
  std::string out = lower_hrp + "1";
  for (const unsigned char v : values) out += kAlphabet[v];
  for (int i = 0; i < 6; ++i) out += kAlphabet[(mod >> (5 * (5 - i))) & 31];
  if (upper) {
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

Bech32Data bech32_decode(std::string_view text) {
  bool has_lower = false, has_upper = false;
  for (const char c : text) {
    if (c < 33 || c > 126) throw Bech32Error("a character outside printable ASCII");
    if (c >= 'a' && c <= 'z') has_lower = true;
    if (c >= 'A' && c <= 'Z') has_upper = true;
  }
  if (has_lower && has_upper) throw Bech32Error("mixed upper and lower case");
  const std::size_t separator = text.rfind('1');
  if (separator == std::string_view::npos || separator == 0)
    throw Bech32Error("no human-readable part before the separator '1'");
  if (text.size() - separator - 1 < 6) throw Bech32Error("shorter than its 6-character checksum");
  Bech32Data result;
  for (const char c : text.substr(0, separator))
    result.hrp += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<unsigned char> values;
  for (const char c : text.substr(separator + 1)) {
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const char* at = nullptr;
    for (const char* p = kAlphabet; *p != '\0'; ++p) {
      if (*p == lower) at = p;
    }
    if (at == nullptr)
      throw Bech32Error(std::string("character '") + c + "' is not in bech32's alphabet");
    values.push_back(static_cast<unsigned char>(at - kAlphabet));
  }
  std::vector<unsigned char> checked = expand_hrp(result.hrp);
  checked.insert(checked.end(), values.begin(), values.end());
  if (polymod(checked) != 1) throw Bech32Error("bad checksum");
  values.resize(values.size() - 6);
  if (!convert_bits(values.data(), values.size(), 5, 8, false, result.data))
    throw Bech32Error("non-zero padding bits");
  return result;
}

}  // namespace migpkg::crypto
