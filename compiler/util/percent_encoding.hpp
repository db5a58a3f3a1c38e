#pragma once
// Percent-encoding (RFC 3986, section 2.1), shared by database URLs and backup file names.
// Header-only so that the PostgreSQL module, which holds its own copies of the few helpers it
// uses (CMakeLists.txt), needs no extra source file.
#include <string>
#include <string_view>

namespace migpkg {

// `text` with every byte that is neither an ASCII letter or digit nor one of `also_plain`
// written as %XX (upper-case hexadecimal). One-to-one, so decoding gives `text` back.
inline std::string percent_encode(std::string_view text, std::string_view also_plain) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 also_plain.find(static_cast<char>(c)) != std::string_view::npos;
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// RFC 3986's unreserved characters besides letters and digits: what a URL part keeps as is.
inline constexpr std::string_view kUrlUnreserved = "-._~";

}  // namespace migpkg
