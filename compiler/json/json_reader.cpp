#include "compiler/json/json_reader.hpp"

#include "compiler/util/utf8.hpp"

namespace migpkg {
namespace {

constexpr int kMaxSkipDepth = 64;  // skip() recursion on text that is not ours

}  // namespace

void JsonReader::fail(const std::string& expected) const {
  std::string found = at_ < text_.size() ? "'" + std::string(1, text_[at_]) + "'" : "end of text";
  throw JsonReadError("invalid JSON at byte " + std::to_string(at_) + ": expected " + expected +
                      ", found " + found);
}

void JsonReader::whitespace() {
  while (at_ < text_.size() &&
         (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t'))
    ++at_;
}

bool JsonReader::consume(char c) {
  whitespace();
  if (at_ < text_.size() && text_[at_] == c) {
    ++at_;
    return true;
  }
  return false;
}

void JsonReader::expect(char c, const char* what) {
  if (!consume(c)) fail(what);
}

JsonReader::Kind JsonReader::peek() {
  whitespace();
  if (at_ >= text_.size()) fail("a value");
  switch (text_[at_]) {
    case '{':
      return Kind::Object;
    case '[':
      return Kind::Array;
    case '"':
      return Kind::String;
    case 't':
    case 'f':
      return Kind::Boolean;
    case 'n':
      return Kind::Null;
    default:
      if (text_[at_] == '-' || (text_[at_] >= '0' && text_[at_] <= '9')) return Kind::Number;
      fail("a value");
  }
}

void JsonReader::begin_object() {
  expect('{', "an object");
  first_ = true;
}

void JsonReader::begin_array() {
  expect('[', "an array");
  first_ = true;
}

bool JsonReader::next_item(char close) {
  if (consume(close)) {
    first_ = false;  // the enclosing container has just read this one as an item
    return false;
  }
  if (!first_) expect(',', close == '}' ? "',' or '}'" : "',' or ']'");
  first_ = false;
  return true;
}

bool JsonReader::next_member(std::string& key) {
  if (!next_item('}')) return false;
  string(key);
  expect(':', "':'");
  return true;
}

bool JsonReader::next_element() {
  return next_item(']');
}

std::uint32_t JsonReader::hex4() {
  std::optional<std::uint32_t> value = hex4_at(text_, at_);
  if (!value) fail("four hexadecimal digits");
  at_ += 4;
  return *value;
}

std::string JsonReader::string() {
  std::string out;
  string(out);
  return out;
}

void JsonReader::string(std::string& out) {
  expect('"', "a string");
  out.clear();
  std::size_t run = at_;  // bytes copied as they are, up to the next escape or the end
  while (true) {
    if (at_ >= text_.size()) fail("'\"'");
    char c = text_[at_];
    if (c == '"') break;
    if (static_cast<unsigned char>(c) < 0x20) fail("no control character in a string");
    if (c != '\\') {
      ++at_;
      continue;
    }
    out.append(text_.data() + run, at_ - run);
    ++at_;
    char e = at_ < text_.size() ? text_[at_++] : '\0';
    if (char decoded = json_short_escape(e)) {
      out += decoded;
      run = at_;
      continue;
    }
    if (e != 'u') {
      --at_;
      fail("an escape character");
    }
    std::uint32_t code = hex4();
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (at_ + 1 >= text_.size() || text_[at_] != '\\' || text_[at_ + 1] != 'u')
        fail("a low surrogate");
      at_ += 2;
      std::uint32_t low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) fail("a low surrogate");
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    } else if (code >= 0xDC00 && code <= 0xDFFF) {
      fail("a high surrogate before a low one");
    }
    append_utf8(out, code);
    run = at_;
  }
  out.append(text_.data() + run, at_ - run);
  ++at_;  // the closing quote
}

void JsonReader::literal(std::string_view word) {
  whitespace();
  if (text_.substr(at_, word.size()) != word) fail(std::string(word));
  at_ += word.size();
}

bool JsonReader::boolean() {
  if (peek() != Kind::Boolean) fail("true or false");
  bool value = text_[at_] == 't';
  literal(value ? "true" : "false");
  return value;
}

bool JsonReader::null_if_next() {
  if (peek() != Kind::Null) return false;
  literal("null");
  return true;
}

std::int64_t JsonReader::integer() {
  if (peek() != Kind::Number) fail("an integer");
  bool negative = text_[at_] == '-';
  if (negative) ++at_;
  std::size_t digits = at_;
  std::uint64_t magnitude = 0;
  while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') {
    auto digit = static_cast<std::uint64_t>(text_[at_] - '0');
    if (magnitude > (UINT64_MAX - digit) / 10) fail("an integer within 64 bits");
    magnitude = magnitude * 10 + digit;
    ++at_;
  }
  if (at_ == digits) fail("a digit");
  if (at_ < text_.size() && (text_[at_] == '.' || text_[at_] == 'e' || text_[at_] == 'E'))
    fail("an integer");
  std::uint64_t limit = negative ? static_cast<std::uint64_t>(INT64_MAX) + 1 : INT64_MAX;
  if (magnitude > limit) fail("an integer within 64 bits");
  return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
}

void JsonReader::skip() {
  if (++depth_ > kMaxSkipDepth) fail("less nesting");
  std::string ignored;
  switch (peek()) {
    case Kind::Object:
      begin_object();
      while (next_member(ignored)) skip();
      break;
    case Kind::Array:
      begin_array();
      while (next_element()) skip();
      break;
    case Kind::String:
      string();
      break;
    case Kind::Boolean:
      boolean();
      break;
    case Kind::Null:
      literal("null");
      break;
    case Kind::Number:
      if (text_[at_] == '-') ++at_;
      if (at_ >= text_.size() || text_[at_] < '0' || text_[at_] > '9') fail("a digit");
      while (at_ < text_.size() &&
             ((text_[at_] >= '0' && text_[at_] <= '9') || text_[at_] == '.' || text_[at_] == 'e' ||
              text_[at_] == 'E' || text_[at_] == '+' || text_[at_] == '-'))
        ++at_;
      break;
  }
  --depth_;
}

void JsonReader::end() {
  whitespace();
  if (at_ != text_.size()) fail("end of text");
}

}  // namespace migpkg
