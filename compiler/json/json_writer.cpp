#include "compiler/json/json_writer.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "compiler/util/utf8.hpp"

namespace migpkg {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// The bytes of `word` that JSON escapes (below 0x20, '"' and '\\'), as the high bit of each
// such byte. Exact: every test runs on the low seven bits of each byte, where adding cannot
// carry into the next byte, and bytes of 0x80 and above (UTF-8, copied as they are) are left
// out. Knowing exactly which byte it is lets the scan jump to it instead of stepping there.
constexpr std::uint64_t escape_mask(std::uint64_t word) {
  std::uint64_t low = word & ~kHighBits;
  std::uint64_t below_space = ~(low + (0x80 - 0x20) * kOnes);     // high bit set: low < 0x20
  std::uint64_t quote = ~((low ^ ('"' * kOnes)) + 0x7f * kOnes);  // set: low == '"'
  std::uint64_t backslash = ~((low ^ ('\\' * kOnes)) + 0x7f * kOnes);
  return (below_space | quote | backslash) & ~word & kHighBits;
}

// The scan below copies words to the output as they were loaded and takes the lowest set bit of
// a mask for the first byte: both assume the first byte in memory is the lowest.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "JsonWriter::escaped assumes a little-endian machine"
#endif

inline std::uint64_t load_word(const char* bytes) {
  std::uint64_t word;
  std::memcpy(&word, bytes, 8);
  return word;
}

// The last `count` (1 to 7) bytes of a text, ending at `end`, as a word, the rest 'a' (a byte
// that needs nothing). `whole` is the text's size. No memcpy of a variable size (a library
// call) and no loop: overlapping loads of fixed sizes, put together.
inline std::uint64_t load_tail(const char* end, std::size_t count, std::size_t whole) {
  std::uint64_t word;
  if (whole >= 8) {  // the text's last eight bytes, the ones before these shifted out
    std::memcpy(&word, end - 8, 8);
    word >>= 8 * (8 - count);
  } else {  // two loads that together cover the bytes, each of the same bytes where they meet
    const char* begin = end - count;
    if (count >= 4) {
      std::uint32_t first, last;
      std::memcpy(&first, begin, 4);
      std::memcpy(&last, end - 4, 4);
      word = first | std::uint64_t{last} << (8 * (count - 4));
    } else if (count >= 2) {
      std::uint16_t first, last;
      std::memcpy(&first, begin, 2);
      std::memcpy(&last, end - 2, 2);
      word = first | std::uint64_t{last} << (8 * (count - 2));
    } else {
      word = static_cast<unsigned char>(*begin);
    }
  }
  return word | ('a' * kOnes) << (8 * count);
}

// Index of the first byte with its mask bit set; `mask` is not zero.
inline std::size_t first_flagged(std::uint64_t mask) {
  return static_cast<std::size_t>(__builtin_ctzll(mask)) / 8;
}

// The escape of every byte escape_mask flags, as dump() writes it, padded to eight bytes so that
// one fixed-size copy writes any of them.
struct Escape {
  char text[7];
  unsigned char size;
};
struct EscapeTable {
  Escape of[0x60] = {};
  constexpr EscapeTable() {
    constexpr char kHex[] = "0123456789abcdef";
    for (int c = 0; c < 0x20; ++c)
      of[c] = {{'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15], 0}, 6};
    of['\b'] = {{'\\', 'b'}, 2};
    of['\f'] = {{'\\', 'f'}, 2};
    of['\n'] = {{'\\', 'n'}, 2};
    of['\r'] = {{'\\', 'r'}, 2};
    of['\t'] = {{'\\', 't'}, 2};
    of['"'] = {{'\\', '"'}, 2};
    of['\\'] = {{'\\', '\\'}, 2};
  }
};
constexpr EscapeTable kEscapes;
static_assert(sizeof(Escape) == 8);

}  // namespace

void JsonWriter::grow(std::size_t at_least) {
  out_.resize(std::max(out_.size() * 2, std::max<std::size_t>(size_ + at_least, 256)));
}

void JsonWriter::newline(std::size_t depth) {
  // A newline and the indentation: one copy of a fixed size (no library call), of which as much
  // is kept as the depth needs, up to a depth plans never reach.
  static constexpr std::string_view kLine =
      "\n                                                               ";
  std::size_t spaces = depth * static_cast<std::size_t>(indent_);
  if (spaces < kLine.size()) {
    reserve(kLine.size());
    std::memcpy(out_.data() + size_, kLine.data(), kLine.size());
    size_ += spaces + 1;
    return;
  }
  put('\n');
  while (spaces > 0) {
    std::size_t n = std::min(spaces, kLine.size() - 1);
    put(kLine.substr(1, n));
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

JsonWriter& JsonWriter::literal_key(std::string_view name) {
  assert(!after_key_);
  assert(std::none_of(name.begin(), name.end(), [](char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ||
           static_cast<unsigned char>(c) >= 0x80;
  }));
  separate();
  put('"');
  put(name);
  put(indent_ >= 0 ? "\": " : "\":");
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
  const char* in = text.data();
  const char* const in_end = in + text.size();
  // The quotes and the text as it is, and the slack the copies below write past what they keep.
  reserve(text.size() + 2 + kSlack);
  char* out = out_.data() + size_;
  char* out_end = out_.data() + out_.size();
  *out++ = '"';
  std::uint64_t seen = 0;  // every word read or'ed together: its high bits tell non-ASCII text
  // Eight bytes at a time: the word is copied whole and the output moves on past the bytes that
  // need nothing (all eight, usually); then the escape of the first flagged byte, if any, is
  // copied (eight bytes, of which it is the first two or six) and the output moves past it. One
  // step writes at most sixteen bytes; only escapes can use up the room made above.
  while (in < in_end) {
    if (static_cast<std::size_t>(out_end - out) < kSlack) {
      size_ = static_cast<std::size_t>(out - out_.data());
      grow(kSlack + static_cast<std::size_t>(in_end - in));
      out = out_.data() + size_;
      out_end = out_.data() + out_.size();
    }
    std::size_t left = static_cast<std::size_t>(in_end - in);
    std::uint64_t word = left >= 8 ? load_word(in) : load_tail(in_end, left, text.size());
    seen |= word;
    std::memcpy(out, &word, 8);
    std::uint64_t mask = escape_mask(word);
    std::size_t clean = mask ? first_flagged(mask) : std::min<std::size_t>(8, left);
    in += clean;
    out += clean;
    if (!mask) continue;
    const Escape& escape = kEscapes.of[static_cast<unsigned char>(*in++)];
    std::memcpy(out, &escape, 8);
    out += escape.size;
  }
  *out++ = '"';
  size_ = static_cast<std::size_t>(out - out_.data());
  // What dump() does with a string that is not UTF-8: throw nlohmann's type_error 316.
  if ((seen & kHighBits) && first_invalid_utf8(text) != std::string_view::npos)
    (void)nlohmann::json(std::string(text)).dump();
}

}  // namespace migpkg
