#include "compiler/json/json_writer.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "compiler/json/json_document.hpp"

namespace migpkg {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// Whether any byte of `word` is zero (the classic bit trick; exact when it says no).
constexpr bool has_zero_byte(std::uint64_t word) {
  return ((word - kOnes) & ~word & kHighBits) != 0;
}

// Whether any byte is below 0x20, '"', '\\' or 0x80 and above. May say yes for a word that only
// looks like it (then the caller looks byte by byte); never says no wrongly.
constexpr bool needs_attention(std::uint64_t word) {
  return (word & kHighBits) != 0 || ((word - 0x20 * kOnes) & ~word & kHighBits) != 0 ||
         has_zero_byte(word ^ ('"' * kOnes)) || has_zero_byte(word ^ ('\\' * kOnes));
}

}  // namespace

void JsonWriter::grow(std::size_t at_least) {
  out_.resize(std::max(out_.size() * 2, std::max<std::size_t>(size_ + at_least, 256)));
}

void JsonWriter::newline(std::size_t depth) {
  put('\n');
  for (std::size_t spaces = depth * static_cast<std::size_t>(indent_); spaces > 0;) {
    static constexpr std::string_view kSpaces = "                                ";
    std::size_t n = std::min(spaces, kSpaces.size());
    put(kSpaces.substr(0, n));
    spaces -= n;
  }
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_items_.empty()) return;
  if (has_items_.back()) put(',');
  has_items_.back() = true;
  if (indent_ >= 0) newline(has_items_.size());
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  put('{');
  has_items_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  assert(!has_items_.empty() && !after_key_);
  bool had_items = has_items_.back();
  has_items_.pop_back();
  if (had_items && indent_ >= 0) newline(has_items_.size());
  put(bracket);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  return close('}');
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  put('[');
  has_items_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  return close(']');
}

JsonWriter& JsonWriter::key(std::string_view name) {
  assert(!after_key_);
  separate();
  escaped(name);
  put(indent_ >= 0 ? ": " : ":");
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  escaped(text);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separate();
  put(flag ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  put("null");
  return *this;
}

template <typename Number>
JsonWriter& JsonWriter::digits(Number number) {
  separate();
  char buffer[24];
  put(std::string_view(
      buffer, static_cast<std::size_t>(std::to_chars(buffer, buffer + sizeof buffer, number).ptr -
                                       buffer)));
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t number) {
  return digits(number);
}
JsonWriter& JsonWriter::integer(std::uint64_t number) {
  return digits(number);
}

// Floating point is rare here (a literal's value); nlohmann's own shortest round-trip form keeps
// the bytes identical to what dump() wrote.
JsonWriter& JsonWriter::value(double number) {
  separate();
  put(nlohmann::json(number).dump());
  return *this;
}

JsonWriter& JsonWriter::value(const std::vector<std::string>& texts) {
  begin_array();
  for (const auto& text : texts) value(text);
  return end_array();
}

template <typename Document>
JsonWriter& JsonWriter::document(const Document& d) {
  switch (d.type()) {
    case nlohmann::json::value_t::object:
      begin_object();
      for (auto it = d.begin(); it != d.end(); ++it) {
        key(it.key());
        document(it.value());
      }
      return end_object();
    case nlohmann::json::value_t::array:
      begin_array();
      for (const auto& element : d) document(element);
      return end_array();
    case nlohmann::json::value_t::string:
      return value(d.template get_ref<const std::string&>());
    case nlohmann::json::value_t::boolean:
      return value(d.template get<bool>());
    case nlohmann::json::value_t::number_integer:
      return value(d.template get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return value(d.template get<std::uint64_t>());
    case nlohmann::json::value_t::number_float:
      return value(d.template get<double>());
    default:  // null, and the binary and discarded kinds JSON text never produces
      return null();
  }
}

JsonWriter& JsonWriter::value(const nlohmann::ordered_json& d) {
  return document(d);
}
JsonWriter& JsonWriter::value(const nlohmann::json& d) {
  return document(d);
}

void JsonWriter::escaped(std::string_view text) {
  put('"');
  bool non_ascii = false;
  std::size_t run = 0;  // start of the bytes not copied yet: most texts need no escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    // Eight bytes at a time past runs that need nothing (SQL text mostly): a byte below 0x20,
    // a quote, a backslash or a non-ASCII byte makes the word go through the loop below.
    while (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if (needs_attention(word)) break;
      i += 8;
    }
    if (i >= text.size()) break;
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      non_ascii = true;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    put(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        put("\\\"");
        break;
      case '\\':
        put("\\\\");
        break;
      case '\b':
        put("\\b");
        break;
      case '\f':
        put("\\f");
        break;
      case '\n':
        put("\\n");
        break;
      case '\r':
        put("\\r");
        break;
      case '\t':
        put("\\t");
        break;
      default: {
        static const char* hex = "0123456789abcdef";
        put("\\u00");
        put(hex[c >> 4]);
        put(hex[c & 15]);
      }
    }
  }
  put(text.substr(run));
  put('"');
  // What dump() does with a string that is not UTF-8: throw nlohmann's type_error 316.
  if (non_ascii && first_invalid_utf8(text) != std::string_view::npos)
    (void)nlohmann::json(std::string(text)).dump();
}

}  // namespace migpkg
