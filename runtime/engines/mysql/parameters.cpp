// Placeholders to literals (parameters.hpp).
#include "runtime/engines/mysql/parameters.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "compiler/util/utf8.hpp"

namespace migpkg::runtime::mysql {

std::string mysql_literal(const std::optional<std::string>& value, bool backslash_escapes) {
  if (!value) return "NULL";
  if (first_invalid_utf8(*value) != std::string::npos) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string out = "X'";
    for (unsigned char c : *value) {
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
    return out + "'";
  }
  std::string out = "'";
  for (char c : *value) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\\' && backslash_escapes) {
      out += "\\\\";
    } else if (c == '\0' && backslash_escapes) {
      out += "\\0";  // a raw NUL is accepted too; the escape keeps the SQL text printable
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string bind_parameters(const std::string& sql,
                            const std::vector<std::optional<std::string>>& params,
                            bool backslash_escapes) {
  std::string out;
  out.reserve(sql.size() + 16 * params.size());
  std::vector<bool> used(params.size(), false);
  std::size_t i = 0;
  const std::size_t n = sql.size();
  while (i < n) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {  // a literal or a quoted name: copied as it is
      std::size_t end = i + 1;
      while (end < n) {
        if (sql[end] == '\\' && c != '`' && backslash_escapes) {
          end += 2;
          continue;
        }
        if (sql[end] == c) {
          if (end + 1 < n && sql[end + 1] == c) {  // doubled: still inside
            end += 2;
            continue;
          }
          break;
        }
        ++end;
      }
      end = std::min(end + 1, n);
      out.append(sql, i, end - i);
      i = end;
    } else if ((c == '-' && i + 2 < n && sql[i + 1] == '-' &&
                (sql[i + 2] == ' ' || sql[i + 2] == '\t' || sql[i + 2] == '\n')) ||
               c == '#') {
      std::size_t end = sql.find('\n', i);
      end = end == std::string::npos ? n : end;
      out.append(sql, i, end - i);
      i = end;
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      std::size_t end = sql.find("*/", i + 2);
      end = end == std::string::npos ? n : end + 2;
      out.append(sql, i, end - i);
      i = end;
    } else if (c == '$' && i + 1 < n && sql[i + 1] >= '0' && sql[i + 1] <= '9' &&
               (i == 0 || !(std::isalnum(static_cast<unsigned char>(sql[i - 1])) ||
                            sql[i - 1] == '_' || sql[i - 1] == '$'))) {
      std::size_t end = i + 1;
      while (end < n && sql[end] >= '0' && sql[end] <= '9') ++end;
      std::size_t number = end - i - 1 > 9 ? 0 : std::stoul(sql.substr(i + 1, end - i - 1));
      if (number == 0 || number > params.size())
        throw std::invalid_argument("placeholder " + sql.substr(i, end - i) + " has no value (" +
                                    std::to_string(params.size()) + " given)");
      used[number - 1] = true;
      out += mysql_literal(params[number - 1], backslash_escapes);
      i = end;
    } else {
      out += c;
      ++i;
    }
  }
  for (std::size_t k = 0; k < used.size(); ++k)
    if (!used[k])
      throw std::invalid_argument("value " + std::to_string(k + 1) + " has no placeholder $" +
                                  std::to_string(k + 1));
  return out;
}

}  // namespace migpkg::runtime::mysql
