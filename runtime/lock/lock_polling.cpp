// lock_polling.hpp's one_line; linked into libmigpkg and into every engine module.
#include "runtime/lock/lock_polling.hpp"

#include "compiler/util/utf8.hpp"

namespace migpkg::runtime::lock_detail {

std::string one_line(const std::string& text, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = utf8_sequence_length(text, i);
    std::string piece;
    if (length == 0) {
      piece = "?";
      length = 1;
    } else if (length == 1) {
      auto byte = static_cast<unsigned char>(text[i]);
      piece = byte < 0x20 || byte == 0x7f ? " " : text.substr(i, 1);
    } else if (length == 2 && static_cast<unsigned char>(text[i]) == 0xC2 &&
               static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      piece = " ";  // a C1 control character (U+0080 to U+009F)
    } else {
      piece = text.substr(i, length);
    }
    if (out.size() + piece.size() > max_bytes) break;  // never half a character
    out += piece;
    i += length;
  }
  std::size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  return out.substr(begin, out.find_last_not_of(' ') + 1 - begin);
}

}  // namespace migpkg::runtime::lock_detail
