#include "compiler/dsl/dsl_text.hpp"

#include <cstdio>
#include <vector>

#include "compiler/util/utf8.hpp"

namespace migpkg::dsl {
namespace {

bool is_blank(const std::string& s) {
  return s.find_first_not_of(" \t") == std::string::npos;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return lines;
    start = end + 1;
  }
}

}  // namespace

std::optional<std::string> decode_string(const std::string& token, std::string& error) {
  std::string out;
  for (std::size_t i = 1; i + 1 < token.size(); ++i) {
    char c = token[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    char e = token[++i];
    switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        std::optional<std::uint32_t> high = hex4_at(token, i + 1);
        if (!high) {
          error = "\\u needs four hexadecimal digits";
          return std::nullopt;
        }
        std::uint32_t code = *high;
        i += 4;
        if (code >= 0xD800 && code <= 0xDBFF) {  // a UTF-16 surrogate pair, as JSON writes it
          std::optional<std::uint32_t> low = hex4_at(token, i + 3);
          if (token.compare(i + 1, 2, "\\u") != 0 || !low || *low < 0xDC00 || *low > 0xDFFF) {
            error = "\\u escape is an unpaired surrogate";
            return std::nullopt;
          }
          i += 6;
          code = 0x10000 + ((code - 0xD800) << 10) + (*low - 0xDC00);
        } else if (code >= 0xDC00 && code <= 0xDFFF) {
          error = "\\u escape is an unpaired surrogate";
          return std::nullopt;
        }
        append_utf8(out, code);
        break;
      }
      default:
        error = std::string("unknown escape \\") + e +
                " (use \\\" \\\\ \\n \\r \\t or \\uHHHH with four hex digits)";
        return std::nullopt;
    }
  }
  return out;
}

std::string quote_string(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned char>(c));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string decode_sql_string(const std::string& token) {
  std::string out;
  for (std::size_t i = 1; i + 1 < token.size(); ++i) {
    out += token[i];
    if (token[i] == '\'') ++i;  // '' -> '
  }
  return out;
}

std::string quote_sql_string(const std::string& value) {
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

bool dollar_body(const std::string& token, std::string& out) {
  std::size_t tag_end = token.find('$', 1);
  std::string tag = token.substr(0, tag_end + 1);
  if (token.size() < 2 * tag.size() || token.compare(token.size() - tag.size(), tag.size(), tag))
    return false;
  std::string raw = token.substr(tag.size(), token.size() - 2 * tag.size());
  if (raw.empty() || raw[0] != '\n') {
    std::size_t first = raw.find_first_not_of(" \t");
    std::size_t last = raw.find_last_not_of(" \t");
    out = first == std::string::npos ? "" : raw.substr(first, last - first + 1);
    return true;
  }
  std::vector<std::string> lines = split_lines(raw.substr(1));
  std::string indent;
  if (is_blank(lines.back())) {
    indent = lines.back();
    lines.pop_back();
  }
  out.clear();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (i) out += '\n';
    if (line.compare(0, indent.size(), indent) == 0)
      out += line.substr(indent.size());
    else if (!is_blank(line))
      out += line;
  }
  return true;
}

std::string dollar_quote(const std::string& text, const std::string& indent) {
  std::string tag = "$$";
  for (int n = 0; text.find(tag) != std::string::npos; ++n)
    tag = "$sql" + (n ? std::to_string(n) : std::string()) + "$";
  bool inline_form = !text.empty() && text.find('\n') == std::string::npos && text.front() != ' ' &&
                     text.front() != '\t' && text.back() != ' ' && text.back() != '\t' &&
                     text.front() != '$' && text.back() != '$';
  if (inline_form) return tag + text + tag;
  std::string out = tag + "\n";
  for (const std::string& line : split_lines(text))
    out += (line.empty() ? "" : indent + line) + "\n";
  return out + indent + tag;
}

bool paren_safe(const std::string& text) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'') {
      for (++i;; ++i) {
        if (i >= text.size()) return false;
        if (text[i] == '\'') {
          if (i + 1 < text.size() && text[i + 1] == '\'')
            ++i;
          else
            break;
        }
      }
    } else if (c == '"' || c == '$' || c == '\\') {
      return false;
    } else if ((c == '-' && i + 1 < text.size() && text[i + 1] == '-') ||
               (c == '/' && i + 1 < text.size() && text[i + 1] == '*') ||
               (c == '*' && i + 1 < text.size() && text[i + 1] == '/')) {
      return false;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth < 0) {
      return false;
    }
  }
  return depth == 0;
}

std::string sql_expression(const std::string& text, const std::string& indent) {
  return paren_safe(text) ? "(" + text + ")" : dollar_quote(text, indent);
}

bool is_bare_name(const std::string& text) {
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  if (text.empty() || (text[0] >= '0' && text[0] <= '9') || !word_char(text[0])) return false;
  bool after_separator = false;
  for (char c : text) {
    if (word_char(c)) {
      after_separator = false;
    } else if (c == '.' || c == '-') {
      if (after_separator) return false;
      after_separator = true;
    } else {
      return false;
    }
  }
  return !after_separator;
}

std::string name_text(const std::string& text) {
  return is_bare_name(text) ? text : quote_string(text);
}

}  // namespace migpkg::dsl
