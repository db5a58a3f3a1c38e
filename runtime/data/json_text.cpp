#include "runtime/data/json_text.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "compiler/util/utf8.hpp"

namespace migpkg::data {
namespace {

constexpr int kMaxDepth = 256;  // deeper embedded JSON is refused, not recursed into

// Characters a JSON string can hold as they are: not '"', '\\', a control character.
constexpr bool plain(unsigned char c) {
  return c >= 0x20 && c != '"' && c != '\\';
}

// Bytes append_json_string copies as they are (plain ASCII), looked up rather than compared
// three times: every text value of an NDJSON export passes through it.
constexpr std::array<bool, 256> kPlainAscii = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x80; ++c) table[c] = plain(static_cast<unsigned char>(c));
  return table;
}();

// The length of the JSON number token at the start of `text`, or 0 when there is none.
std::size_t number_length(std::string_view text) {
  std::size_t i = 0, n = text.size();
  auto digit = [&](std::size_t k) { return k < n && text[k] >= '0' && text[k] <= '9'; };
  if (i < n && text[i] == '-') ++i;
  if (!digit(i)) return 0;
  if (text[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && text[i] == '.') {
    ++i;
    if (!digit(i)) return 0;
    while (digit(i)) ++i;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digit(i)) return 0;
    while (digit(i)) ++i;
  }
  return i;
}

}  // namespace

bool append_json_string(std::string& out, std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t i = 0, n = text.size();
  while (i < n) {
    // The run of characters that need nothing, appended at once.
    std::size_t start = i;
    while (i < n && kPlainAscii[static_cast<unsigned char>(text[i])]) ++i;
    out.append(text.data() + start, i - start);
    if (i >= n) break;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t length = utf8_sequence_length(text, i);
      if (length == 0) return false;
      out.append(text.data() + i, length);
      i += length;
      continue;
    }
    out += '\\';
    switch (c) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '\n':
        out += 'n';
        break;
      case '\r':
        out += 'r';
        break;
      case '\t':
        out += 't';
        break;
      case '\b':
        out += 'b';
        break;
      case '\f':
        out += 'f';
        break;
      default:
        out += "u00";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    ++i;
  }
  out += '"';
  return true;
}

void JsonCursor::skip_space() {
  while (at_ < text_.size() &&
         (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\r' || text_[at_] == '\n'))
    ++at_;
}

char JsonCursor::peek() {
  skip_space();
  return at_ < text_.size() ? text_[at_] : '\0';
}

void JsonCursor::expect(char c) {
  if (!accept(c)) fail(std::string("expected '") + c + "'");
}

bool JsonCursor::accept(char c) {
  if (peek() != c || at_end()) return false;
  ++at_;
  return true;
}

void JsonCursor::read_string(std::string& out) {
  out.clear();
  skip_space();
  if (at_ >= text_.size() || text_[at_] != '"') fail("expected a string");
  ++at_;
  for (;;) {
    std::size_t start = at_;
    while (at_ < text_.size() && plain(static_cast<unsigned char>(text_[at_])) &&
           static_cast<unsigned char>(text_[at_]) < 0x80)
      ++at_;
    out.append(text_.data() + start, at_ - start);
    if (at_ >= text_.size()) fail("unterminated string");
    unsigned char c = static_cast<unsigned char>(text_[at_]);
    if (c == '"') {
      ++at_;
      return;
    }
    if (c >= 0x80) {
      std::size_t length = utf8_sequence_length(text_, at_);
      if (length == 0) fail("a string that is not valid UTF-8");
      out.append(text_.data() + at_, length);
      at_ += length;
      continue;
    }
    if (c < 0x20) fail("a raw control character in a string (JSON needs it escaped)");
    // A backslash escape.
    if (at_ + 1 >= text_.size()) fail("unterminated string");
    char e = text_[at_ + 1];
    if (e != 'u') {
      char decoded = json_short_escape(e);
      if (decoded == '\0') fail(std::string("an invalid escape \\") + e);
      out += decoded;
      at_ += 2;
      continue;
    }
    auto code = hex4_at(text_, at_ + 2);
    if (!code) fail("\\u needs four hexadecimal digits");
    at_ += 6;
    std::uint32_t value = *code;
    if (value >= 0xD800 && value <= 0xDBFF) {
      auto low = (at_ + 1 < text_.size() && text_[at_] == '\\' && text_[at_ + 1] == 'u')
                     ? hex4_at(text_, at_ + 2)
                     : std::nullopt;
      if (!low || *low < 0xDC00 || *low > 0xDFFF) fail("a lone UTF-16 surrogate in \\u escapes");
      value = 0x10000 + ((value - 0xD800) << 10) + (*low - 0xDC00);
      at_ += 6;
    } else if (value >= 0xDC00 && value <= 0xDFFF) {
      fail("a lone UTF-16 surrogate in \\u escapes");
    }
    append_utf8(out, value);
  }
}

std::string_view JsonCursor::read_number() {
  skip_space();
  std::size_t length = number_length(text_.substr(at_));
  if (length == 0) fail("expected a number");
  std::string_view token = text_.substr(at_, length);
  at_ += length;
  return token;
}

char JsonCursor::read_literal() {
  skip_space();
  for (std::string_view word : {"true", "false", "null"})
    if (text_.substr(at_, word.size()) == word) {
      at_ += word.size();
      return word[0];
    }
  fail("expected a value");
}

void JsonCursor::read_canonical_value(std::string& out, int depth) {
  if (depth > kMaxDepth) fail("JSON nested deeper than 256 levels");
  char c = peek();
  if (c == '"') {
    std::string text;
    read_string(text);
    append_json_string(out, text);  // valid UTF-8: read_string checked it
  } else if (c == '[') {
    ++at_;
    out += '[';
    if (!accept(']')) {
      do {
        read_canonical_value(out, depth + 1);
        if (peek() == ']') break;
        out += ',';
        expect(',');
      } while (true);
      expect(']');
    }
    out += ']';
  } else if (c == '{') {
    ++at_;
    std::vector<std::pair<std::string, std::string>> members;  // key, canonical value
    if (!accept('}')) {
      do {
        std::pair<std::string, std::string> member;
        read_string(member.first);
        expect(':');
        read_canonical_value(member.second, depth + 1);
        members.push_back(std::move(member));
      } while (accept(','));
      expect('}');
    }
    // Sorted by key bytes; a repeated key keeps its last value, as JSON parsers commonly do.
    std::stable_sort(members.begin(), members.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    out += '{';
    bool first = true;
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i + 1 < members.size() && members[i + 1].first == members[i].first) continue;
      if (!first) out += ',';
      first = false;
      append_json_string(out, members[i].first);
      out += ':';
      out += members[i].second;
    }
    out += '}';
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    out += read_number();
  } else {
    char literal = read_literal();
    out += literal == 't' ? "true" : literal == 'f' ? "false" : "null";
  }
}

std::string canonical_json(std::string_view text) {
  JsonCursor cursor(text);
  std::string out;
  cursor.read_canonical_value(out);
  cursor.skip_space();
  if (!cursor.at_end()) cursor.fail("text after the JSON value");
  return out;
}

bool is_json_number(std::string_view text) {
  return !text.empty() && number_length(text) == text.size();
}

}  // namespace migpkg::data
