#pragma once
// The random byte strings the MySQL engine's tests send through its encodings.
#include <random>
#include <string>
#include <vector>

namespace migpkg::test {

// Byte strings that favour what the encodings must get right: quotes, backslashes, tabs,
// newlines, NUL, "\N", "$1", bytes that are not UTF-8, and multi-byte characters.
inline std::string random_bytes(std::mt19937& random) {
  static const std::vector<std::string> pieces = {
      "'",    "\"", "`",  "\\", "\t", "\n", "\r", std::string(1, '\0'),
      "\\N",  "N",  "$1", "$",  "--", "#",  "/*", "\xff",
      "\xc3", "é",  "😀",  "a",  "0",  " ",  ";"};
  std::string out;
  std::size_t length = random() % 12;
  for (std::size_t i = 0; i < length; ++i) out += pieces[random() % pieces.size()];
  return out;
}

}  // namespace migpkg::test
