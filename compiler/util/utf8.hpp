#pragma once
// Decoding escapes: \uHHHH, shared by the DSL's string literals and the stored-plan reader, and
// JSON's two-character ones.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace migpkg {

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
