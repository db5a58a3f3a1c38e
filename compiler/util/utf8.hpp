#pragma once
// Decoding \uHHHH escapes, shared by the DSL's string literals and the stored-plan reader.
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

}  // namespace migpkg
