#include "compiler/json/json_fast_dom.hpp"

#include <cstdint>
#include <string>
#include <utility>

#include "compiler/util/utf8.hpp"

namespace migpkg {
namespace {

using json = nlohmann::json;

// Recursive descent over the text. Every method returns false to decline (see the header):
// there is no error reporting here by design.
class FastDom {
 public:
  FastDom(std::string_view text, std::size_t max_depth)
      : p_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth) {}

  bool document(json& out) {
    // A byte-order mark is the full parser's business (it skips a complete one).
    if (p_ < end_ && static_cast<unsigned char>(*p_) == 0xEF) return false;
    if (!value(out, 0)) return false;
    whitespace();
    return p_ == end_;
  }

 private:
  void whitespace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool value(json& out, std::size_t depth) {
    whitespace();
    if (p_ >= end_) return false;
    switch (*p_) {
      case '{':
        return object(out, depth + 1);
      case '[':
        return array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't':
        return literal("true", json(true), out);
      case 'f':
        return literal("false", json(false), out);
      case 'n':
        return literal("null", json(nullptr), out);
      default:
        return number(out);
    }
  }

  // `depth` counts this container; the full parser refuses more than max_depth levels, and
  // anything near the limit is left to it.
  bool object(json& out, std::size_t depth) {
    if (depth + 1 >= max_depth_) return false;
    ++p_;  // '{'
    out = json::object();
    auto& members = out.get_ref<json::object_t&>();
    whitespace();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    std::string key;
    for (;;) {
      whitespace();
      if (p_ >= end_ || *p_ != '"' || !string(key)) return false;
      whitespace();
      if (p_ >= end_ || *p_ != ':') return false;
      ++p_;
      auto [slot, inserted] = members.emplace(std::move(key), json());
      if (!inserted) return false;  // a duplicate key: the full parser names it
      if (!value(slot->second, depth)) return false;
      whitespace();
      if (p_ >= end_) return false;
      if (*p_ == '}') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
    }
  }

  bool array(json& out, std::size_t depth) {
    if (depth + 1 >= max_depth_) return false;
    ++p_;  // '['
    out = json::array();
    auto& elements = out.get_ref<json::array_t&>();
    whitespace();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    for (;;) {
      elements.emplace_back();
      if (!value(elements.back(), depth)) return false;
      whitespace();
      if (p_ >= end_) return false;
      if (*p_ == ']') {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
    }
  }

  // At the opening quote. The text's UTF-8 was checked before (parse_json_text), so bytes
  // above 0x7F are copied as they are, as the full parser does with valid UTF-8.
  bool string(std::string& out) {
    ++p_;  // '"'
    out.clear();
    const char* run = p_;  // copied as it is, up to the next escape or the closing quote
    for (;;) {
      if (p_ >= end_) return false;
      char c = *p_;
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) return false;  // a control character: refused
      if (c != '\\') {
        ++p_;
        continue;
      }
      out.append(run, p_);
      if (++p_ >= end_) return false;
      // \u (with its surrogate rules) and invalid escapes are the full parser's.
      char decoded = json_short_escape(*p_);
      if (decoded == '\0') return false;
      out += decoded;
      run = ++p_;
    }
    out.append(run, p_);
    ++p_;  // the closing quote
    return true;
  }

  bool literal(std::string_view word, json value, json& out) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word)
      return false;
    p_ += word.size();
    // The full parser reads "truex" as the literal and then fails on what follows; so does the
    // caller here, as 'x' is neither ',' nor a closing bracket nor the end.
    out = std::move(value);
    return true;
  }

  // Integers only, as the full parser types them: negative ones (and -0) are number_integer,
  // the others number_unsigned. Up to 18 digits, so no overflow can occur.
  bool number(json& out) {
    bool negative = *p_ == '-';
    if (negative) ++p_;
    const char* digits = p_;
    if (p_ >= end_ || *p_ < '0' || *p_ > '9') return false;
    std::uint64_t magnitude = 0;
    if (*p_ == '0') {
      ++p_;  // a leading zero is the whole integer part ("01" is refused by the full parser)
    } else {
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') magnitude = magnitude * 10 + (*p_++ - '0');
    }
    if (p_ - digits > 18) return false;
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E' || (*p_ >= '0' && *p_ <= '9')))
      return false;  // a fraction or exponent, or digits after a leading zero
    if (negative)
      out = static_cast<json::number_integer_t>(-static_cast<std::int64_t>(magnitude));
    else
      out = static_cast<json::number_unsigned_t>(magnitude);
    return true;
  }

  const char* p_;
  const char* end_;
  std::size_t max_depth_;
};

}  // namespace

bool parse_json_fast(std::string_view text, std::size_t max_depth, nlohmann::json& out) {
  return FastDom(text, max_depth).document(out);
}

}  // namespace migpkg
