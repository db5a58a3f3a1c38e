#pragma once
// Decoding escapes: \uHHHH, shared by the DSL's string literals and the stored-plan reader, and
// JSON's two-character ones.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace migpkg {

// The length (1 to 4) of the well-formed UTF-8 sequence at text[at] (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 when none starts there (a bad or
// continuation byte, or a sequence cut short by the end). The one definition of valid UTF-8,
// for the front ends' checks and the run lock's cleaning of foreign text.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t k) -> unsigned {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : 0x100;
  };
  unsigned lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(at + k) < 0x80 || byte(at + k) > 0xBF) return 0;
  return length;
}

// Offset of the first byte that breaks UTF-8, or npos. Shared by the JSON and DSL front ends and
// the JSON writer.
std::size_t first_invalid_utf8(std::string_view text);

// Appends the UTF-8 encoding of `code` (a code point up to U+10FFFF, not a surrogate).
void append_utf8(std::string& out, std::uint32_t code);

// The value of the four hexadecimal digits at `at` in `text`, if there are four.
std::optional<std::uint32_t> hex4_at(std::string_view text, std::size_t at);

// The character a JSON two-character escape "\e" stands for (\" \\ \/ \b \f \n \r \t), or
// '\0' when `e` starts no such escape (\u, which needs hex4_at, or an invalid one). Shared by
// the JSON readers (json_reader, json_fast_dom); the DSL's strings have fewer escapes.
inline char json_short_escape(char e) {
  switch (e) {
    case '"':
    case '\\':
    case '/':
      return e;
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return '\0';
  }
}

}  // namespace migpkg
