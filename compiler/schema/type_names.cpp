#include "compiler/schema/type_names.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "compiler/diagnostics/diagnostic.hpp"

namespace migpkg::schema {
namespace {

using Kind = ir::ColumnType::Kind;

// What follows a base name: nothing, "(n)", "(p,s)" or "('a','b')".
enum class Arguments { None, Length, PrecisionScale, Values };

struct BaseType {
  std::string_view name;  // a view, so that its length is known without strlen
  Kind kind;
  Arguments arguments;
};

constexpr BaseType kBaseTypes[] = {
    {"bool", Kind::Bool, Arguments::None},
    {"int16", Kind::Int16, Arguments::None},
    {"int32", Kind::Int32, Arguments::None},
    {"int64", Kind::Int64, Arguments::None},
    {"serial", Kind::Serial, Arguments::None},
    {"bigserial", Kind::BigSerial, Arguments::None},
    {"identity", Kind::BigSerial, Arguments::None},  // alias; printed as bigserial
    {"decimal", Kind::Decimal, Arguments::PrecisionScale},
    {"float32", Kind::Float32, Arguments::None},
    {"float64", Kind::Float64, Arguments::None},
    {"text", Kind::Text, Arguments::None},
    {"string", Kind::String, Arguments::Length},
    {"char", Kind::Char, Arguments::Length},
    {"bytes", Kind::Bytes, Arguments::None},
    {"uuid", Kind::Uuid, Arguments::None},
    {"json", Kind::Json, Arguments::None},
    {"date", Kind::Date, Arguments::None},
    {"time", Kind::Time, Arguments::None},
    {"timestamp", Kind::Timestamp, Arguments::None},
    {"timestamptz", Kind::TimestampTz, Arguments::None},
    {"enum", Kind::Enum, Arguments::Values},
    {"vector", Kind::Vector, Arguments::Length},
};

class Parser {
 public:
  Parser(const std::string& text, TypeNameError* error) : text_(text), error_(error) {}

  std::optional<ir::ColumnType> parse() {
    skip_spaces();
    std::size_t start = pos_;
    while (pos_ < text_.size() && std::isalnum(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    std::string base = text_.substr(start, pos_ - start);
    std::transform(base.begin(), base.end(), base.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (base.empty()) return fail(start, "expected a type name", "");
    const BaseType* found = nullptr;
    for (const auto& candidate : kBaseTypes) {
      if (candidate.name.size() == base.size() && candidate.name == base) {
        found = &candidate;  // the names are distinct
        break;
      }
    }
    if (!found) {
      std::string suggestion = closest_match(base, type_base_names());
      return fail(start, "unknown type \"" + base + "\"",
                  suggestion.empty() ? "the types are listed in docs/dialects.md"
                                     : "did you mean `" + suggestion + "`?");
    }
    ir::ColumnType type;
    type.kind = found->kind;
    skip_spaces();
    bool has_arguments = pos_ < text_.size() && text_[pos_] == '(';
    switch (found->arguments) {
      case Arguments::None:
        if (has_arguments) return fail(pos_, "type \"" + base + "\" takes no arguments", "");
        break;
      case Arguments::Length: {
        if (!has_arguments)
          return fail(pos_,
                      "type \"" + base + "\" needs a " + size_word(type.kind) + ": " + base + "(n)",
                      "");
        ++pos_;
        auto n = number(base);
        if (!n) return std::nullopt;
        std::int64_t max = type.kind == Kind::Vector ? kMaxVectorDimensions : INT32_MAX;
        if (*n < 1 || *n > max)
          return fail(number_start_,
                      "the " + size_word(type.kind) + " of " + base + " must be between 1 and " +
                          std::to_string(max),
                      "");
        type.length = *n;
        if (!close()) return std::nullopt;
        break;
      }
      case Arguments::PrecisionScale: {
        if (!has_arguments)
          return fail(pos_, "type \"decimal\" needs a precision: decimal(p,s) or decimal(p)", "");
        ++pos_;
        auto p = number(base);
        if (!p) return std::nullopt;
        if (*p < 1 || *p > kMaxDecimalPrecision)
          return fail(number_start_,
                      "the precision of decimal must be between 1 and " +
                          std::to_string(kMaxDecimalPrecision),
                      "");
        type.precision = *p;
        type.scale = 0;
        skip_spaces();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          auto s = number(base);
          if (!s) return std::nullopt;
          if (*s > *p)
            return fail(number_start_,
                        "the scale of decimal must be between 0 and the precision (" +
                            std::to_string(*p) + ")",
                        "");
          type.scale = *s;
        }
        if (!close()) return std::nullopt;
        break;
      }
      case Arguments::Values: {
        if (!has_arguments) return fail(pos_, "type \"enum\" needs its values: enum('a','b')", "");
        ++pos_;
        while (true) {
          skip_spaces();
          if (pos_ >= text_.size() || text_[pos_] != '\'')
            return fail(pos_, "expected a quoted enum value like 'active'", "");
          std::size_t value_start = pos_;
          auto value = quoted();
          if (!value) return std::nullopt;
          if (std::find(type.values.begin(), type.values.end(), *value) != type.values.end())
            return fail(value_start, "enum value '" + *value + "' is listed twice", "");
          type.values.push_back(*value);
          skip_spaces();
          if (pos_ < text_.size() && text_[pos_] == ',') {
            ++pos_;
            continue;
          }
          break;
        }
        if (!close()) return std::nullopt;
        break;
      }
    }
    skip_spaces();
    if (pos_ != text_.size())
      return fail(pos_, "unexpected \"" + text_.substr(pos_) + "\" after the type", "");
    return type;
  }

 private:
  static std::string size_word(Kind kind) {
    return kind == Kind::Vector ? "dimension count" : "length";
  }

  void skip_spaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  std::optional<std::int64_t> number(const std::string& base) {
    skip_spaces();
    number_start_ = pos_;
    std::int64_t value = 0;
    std::size_t digits = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      if (value > (INT64_MAX - 9) / 10) {
        fail(number_start_, "number too large in type \"" + base + "\"", "");
        return std::nullopt;
      }
      value = value * 10 + (text_[pos_++] - '0');
      ++digits;
    }
    if (digits == 0) {
      fail(pos_, "expected a number in type \"" + base + "\"", "");
      return std::nullopt;
    }
    skip_spaces();
    return value;
  }

  std::optional<std::string> quoted() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c != '\'') {
        out += c;
      } else if (pos_ < text_.size() && text_[pos_] == '\'') {
        out += '\'';  // '' is a quote inside the value
        ++pos_;
      } else {
        return out;
      }
    }
    fail(text_.size(), "unterminated enum value: a closing ' is missing", "");
    return std::nullopt;
  }

  bool close() {
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == ')') {
      ++pos_;
      return true;
    }
    fail(pos_, pos_ < text_.size() ? "expected ')'" : "expected ')' at the end of the type", "");
    return false;
  }

  std::nullopt_t fail(std::size_t at, std::string message, std::string hint) {
    if (error_) *error_ = TypeNameError{std::move(message), std::move(hint), at};
    return std::nullopt;
  }

  const std::string& text_;
  TypeNameError* error_;
  std::size_t pos_ = 0;
  std::size_t number_start_ = 0;
};

std::string quote_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::optional<ir::ColumnType> parse_type_name(const std::string& text, TypeNameError* error) {
  return Parser(text, error).parse();
}

std::string type_name(const ir::ColumnType& type) {
  std::string out = ir::to_string(type.kind);
  switch (type.kind) {
    case Kind::String:
    case Kind::Char:
    case Kind::Vector:
      return out + "(" + std::to_string(type.length.value_or(0)) + ")";
    case Kind::Decimal:
      return out + "(" + std::to_string(type.precision.value_or(0)) + "," +
             std::to_string(type.scale.value_or(0)) + ")";
    case Kind::Enum: {
      out += "(";
      for (std::size_t i = 0; i < type.values.size(); ++i)
        out += (i ? "," : "") + quote_value(type.values[i]);
      return out + ")";
    }
    default:
      return out;
  }
}

const std::vector<std::string>& type_base_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& base : kBaseTypes) out.emplace_back(base.name);
    return out;
  }();
  return names;
}

}  // namespace migpkg::schema
