// A backup data file's lines (backup.hpp): fields separated by a tab, NULL as \N, and backslash,
// tab, newline and carriage return escaped. Apart from backup.cpp because it needs no server: the
// test binary compiles it to check, for any bytes, that a line decodes to the row it encodes.
#include "runtime/engines/mysql/backup.hpp"

namespace migpkg::runtime::mysql {

std::string encode_row(const Row& row) {
  std::string line;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i) line += '\t';
    if (!row[i]) {
      line += "\\N";
      continue;
    }
    for (char c : *row[i]) {
      switch (c) {
        case '\\':
          line += "\\\\";
          break;
        case '\t':
          line += "\\t";
          break;
        case '\n':
          line += "\\n";
          break;
        case '\r':
          line += "\\r";
          break;
        default:
          line += c;
      }
    }
  }
  return line + "\n";
}

Row decode_row(const std::string& line) {
  Row row;
  std::string value;
  bool null = false;
  auto finish = [&] {
    row.push_back(null ? std::nullopt : std::optional<std::string>(value));
    value.clear();
    null = false;
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\t') {
      finish();
    } else if (c == '\\' && i + 1 < line.size()) {
      char e = line[++i];
      if (e == 'N')
        null = true;
      else
        value += e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
    } else {
      value += c;
    }
  }
  finish();
  return row;
}

}  // namespace migpkg::runtime::mysql
