#include "runtime/data/value_functions.hpp"

#include <cctype>
#include <cstdint>
#include <stdexcept>

#include "compiler/util/utf8.hpp"

namespace migpkg::data {
namespace {

[[noreturn]] void refuse(const std::string& name, const std::string& value, const char* why) {
  throw std::runtime_error("function " + name + " on value '" + value.substr(0, 60) + "': " + why);
}

// Code point boundaries, so that substring and length count characters, not bytes. Invalid
// UTF-8 (a Bytes value) counts byte by byte.
std::vector<std::size_t> character_starts(const std::string& text) {
  std::vector<std::size_t> starts;
  for (std::size_t at = 0; at < text.size();) {
    starts.push_back(at);
    std::size_t length = utf8_sequence_length(text, at);
    at += length ? length : 1;
  }
  return starts;
}

// A decimal number as sign, integer digits and fraction digits ("-12.50" -> -, "12", "50").
struct Decimal {
  bool negative = false;
  std::string whole, fraction;
};

bool parse_decimal(const std::string& text, Decimal& out) {
  std::size_t at = 0;
  if (at < text.size() && (text[at] == '-' || text[at] == '+')) out.negative = text[at++] == '-';
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])))
    out.whole += text[at++];
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])))
      out.fraction += text[at++];
  }
  return at == text.size() && !(out.whole.empty() && out.fraction.empty());
}

// The portable decimal form: no leading zeros, no "-0", no trailing "." .
std::string decimal_text(Decimal d, bool keep_fraction_zeros) {
  std::size_t first = d.whole.find_first_not_of('0');
  d.whole = first == std::string::npos ? "0" : d.whole.substr(first);
  if (!keep_fraction_zeros) {
    std::size_t last = d.fraction.find_last_not_of('0');
    d.fraction = last == std::string::npos ? "" : d.fraction.substr(0, last + 1);
  }
  bool zero = d.whole == "0" && d.fraction.find_first_not_of('0') == std::string::npos;
  return (d.negative && !zero ? "-" : "") + d.whole + (d.fraction.empty() ? "" : "." + d.fraction);
}

// Adds one unit in the last place of the digit string (half away from zero rounding).
std::string increment(std::string digits) {
  for (std::size_t i = digits.size(); i-- > 0;) {
    if (digits[i] != '9') {
      ++digits[i];
      return digits;
    }
    digits[i] = '0';
  }
  return "1" + digits;
}

std::string round_decimal(const std::string& name, const std::string& value, std::int64_t places) {
  Decimal d;
  if (!parse_decimal(value, d)) refuse(name, value, "not a number");
  if (places < 0) places = 0;
  std::size_t keep = static_cast<std::size_t>(places);
  if (d.fraction.size() <= keep) return decimal_text(d, false);
  bool up = d.fraction[keep] >= '5';
  std::string digits = d.whole + d.fraction.substr(0, keep);
  if (up) digits = increment(digits.empty() ? "0" : digits);
  Decimal out{d.negative, digits.substr(0, digits.size() - keep),
              digits.substr(digits.size() - keep)};
  return decimal_text(out, false);
}

std::string trim(const std::string& text, bool left, bool right) {
  std::size_t begin = 0, end = text.size();
  if (left)
    while (begin < end && text[begin] == ' ') ++begin;
  if (right)
    while (end > begin && text[end - 1] == ' ') --end;
  return text.substr(begin, end - begin);
}

std::string text_of(const ir::Literal& literal) {
  Value value = literal_value(literal);
  return value.value_or("");
}

}  // namespace

Value literal_value(const ir::Literal& literal) {
  switch (literal.kind) {
    case ir::Literal::Kind::Null:
      return std::nullopt;
    case ir::Literal::Kind::Bool:
      return std::string(literal.boolean ? "true" : "false");
    case ir::Literal::Kind::Integer:
      return literal.text.empty() ? std::to_string(literal.integer) : literal.text;
    case ir::Literal::Kind::Real:
    case ir::Literal::Kind::String:
      return literal.text;
  }
  return std::nullopt;
}

Value apply_function(const std::string& name, const std::vector<ir::Literal>& parameters,
                     const Value& value) {
  if (name == "coalesce") return value ? value : literal_value(parameters.at(0));
  if (!value) return std::nullopt;
  const std::string& v = *value;
  if (name == "upper" || name == "lower") {
    // ASCII letters only, as SQLite's upper()/lower(): the result does not depend on a locale.
    std::string out = v;
    for (char& c : out)
      if (static_cast<unsigned char>(c) < 0x80)
        c = static_cast<char>(name == "upper" ? std::toupper(static_cast<unsigned char>(c))
                                              : std::tolower(static_cast<unsigned char>(c)));
    return out;
  }
  if (name == "trim") return trim(v, true, true);
  if (name == "ltrim") return trim(v, true, false);
  if (name == "rtrim") return trim(v, false, true);
  if (name == "length") return std::to_string(character_starts(v).size());
  if (name == "abs") {
    Decimal d;
    if (!parse_decimal(v, d)) refuse(name, v, "not a number");
    d.negative = false;
    return decimal_text(d, true);
  }
  if (name == "round")
    return round_decimal(name, v, parameters.empty() ? 0 : parameters[0].integer);
  if (name == "substring") {
    std::vector<std::size_t> starts = character_starts(v);
    std::int64_t from = parameters.at(0).integer;  // 1-based
    std::int64_t count = parameters.size() > 1 ? parameters[1].integer
                                               : static_cast<std::int64_t>(starts.size()) + 1;
    std::int64_t first = std::max<std::int64_t>(from, 1);
    std::int64_t last = from + count;  // exclusive, as SQL's SUBSTR counts from `from`
    if (count < 0) refuse(name, v, "a negative length");
    if (last <= first || first > static_cast<std::int64_t>(starts.size())) return std::string();
    std::size_t begin = starts[static_cast<std::size_t>(first - 1)];
    std::size_t end = last - 1 >= static_cast<std::int64_t>(starts.size())
                          ? v.size()
                          : starts[static_cast<std::size_t>(last - 1)];
    return v.substr(begin, end - begin);
  }
  if (name == "replace") {
    std::string from = text_of(parameters.at(0)), to = text_of(parameters.at(1));
    if (from.empty()) return v;
    std::string out;
    std::size_t at = 0;
    for (std::size_t hit; (hit = v.find(from, at)) != std::string::npos; at = hit + from.size())
      out += v.substr(at, hit - at) + to;
    return out + v.substr(at);
  }
  if (name == "concat") {
    std::string out = v;
    for (const ir::Literal& parameter : parameters) out += text_of(parameter);
    return out;
  }
  if (name == "nullif") {
    Value other = literal_value(parameters.at(0));
    return other && *other == v ? std::nullopt : value;
  }
  if (name == "to_text") return v;
  if (name == "to_integer" || name == "to_decimal") {
    Decimal d;
    if (!parse_decimal(trim(v, true, true), d)) refuse(name, v, "not a number");
    if (name == "to_integer") d.fraction.clear();  // truncates toward zero, as CAST does
    return decimal_text(d, false);
  }
  if (name == "to_boolean") {
    std::string lower = v;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower = trim(lower, true, true);
    if (lower == "true" || lower == "t" || lower == "1" || lower == "yes" || lower == "y" ||
        lower == "on")
      return std::string("true");
    if (lower == "false" || lower == "f" || lower == "0" || lower == "no" || lower == "n" ||
        lower == "off")
      return std::string("false");
    refuse(name, v, "not a boolean");
  }
  throw std::runtime_error("function " + name + " is not one a data mapping can run");
}

}  // namespace migpkg::data
