#include "compiler/dsl/column_types.hpp"

#include <algorithm>
#include <cctype>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/dsl/dsl_text.hpp"

namespace migpkg::dsl {
namespace {

using Kind = ir::ColumnType::Kind;

// Which arguments a type takes.
enum class Arguments { None, Length, PrecisionScale, Values };

struct TypeName {
  const char* name;
  Kind kind;
  Arguments arguments;
};

// The first entry of a kind is its canonical spelling.
constexpr TypeName kTypes[] = {
    {"bool", Kind::Bool, Arguments::None},
    {"boolean", Kind::Bool, Arguments::None},
    {"int16", Kind::Int16, Arguments::None},
    {"int32", Kind::Int32, Arguments::None},
    {"int64", Kind::Int64, Arguments::None},
    {"serial", Kind::Serial, Arguments::None},
    {"bigserial", Kind::BigSerial, Arguments::None},
    {"identity", Kind::BigSerial, Arguments::None},
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
    // timestamptz before timestamp: "did you mean" prefers the earlier of two equally close
    // names, and `timestampz` is a misspelt timestamptz far more often than a timestamp.
    {"timestamptz", Kind::TimestampTz, Arguments::None},
    {"timestamp", Kind::Timestamp, Arguments::None},
    {"enum", Kind::Enum, Arguments::Values},
    {"vector", Kind::Vector, Arguments::Length},
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool positive_number(const std::string& text, std::int64_t& out) {
  if (text.empty() || text.size() > 9) return false;
  out = std::stoll(text);
  return out > 0;
}

}  // namespace

std::optional<ir::ColumnType> resolve_type(const TypeSpelling& spelling, std::string& error,
                                           std::string& hint) {
  std::string name = lower(spelling.name);
  const TypeName* found = nullptr;
  for (const auto& entry : kTypes)
    if (name == entry.name) found = &entry;
  if (!found) {
    std::vector<std::string> names;
    for (const auto& entry : kTypes) names.push_back(entry.name);
    error = "unknown type `" + spelling.name + "`";
    std::string suggestion = closest_match(name, names);
    hint = suggestion.empty() ? "types are bool, int16, int32, int64, serial, bigserial, "
                                "decimal(p, s), float32, float64, text, string(n), char(n), "
                                "bytes, uuid, json, date, time, timestamp, timestamptz, "
                                "enum(...), vector(n)"
                              : "did you mean `" + suggestion + "`?";
    return std::nullopt;
  }
  ir::ColumnType type;
  type.kind = found->kind;
  const auto& args = spelling.arguments;
  auto all_numbers = std::all_of(spelling.argument_is_number.begin(),
                                 spelling.argument_is_number.end(), [](bool b) { return b; });
  switch (found->arguments) {
    case Arguments::None:
      if (!args.empty()) {
        error = "type `" + name + "` takes no arguments";
        return std::nullopt;
      }
      break;
    case Arguments::Length: {
      std::int64_t n = 0;
      if (args.size() != 1 || !all_numbers || !positive_number(args[0], n)) {
        error = "type `" + name + "` takes one positive length, as in `" + name + "(" +
                (name == "vector" ? "1536" : "255") + ")`";
        return std::nullopt;
      }
      type.length = n;
      break;
    }
    case Arguments::PrecisionScale: {
      std::int64_t precision = 0, scale = 0;
      bool ok = args.size() <= 2 && all_numbers &&
                (args.empty() || positive_number(args[0], precision)) &&
                (args.size() < 2 || args[1] == "0" || positive_number(args[1], scale));
      if (!ok || (args.size() == 2 && scale > precision)) {
        error =
            "type `decimal` takes a precision and an optional scale no larger than it, as "
            "in `decimal(10, 2)`";
        return std::nullopt;
      }
      if (!args.empty()) type.precision = precision;
      if (args.size() == 2) type.scale = scale;
      break;
    }
    case Arguments::Values:
      if (args.empty()) {
        error = "type `enum` needs its values, as in `enum(\"draft\", \"published\")`";
        return std::nullopt;
      }
      for (std::size_t i = 0; i < args.size(); ++i) {
        if (std::find(type.values.begin(), type.values.end(), args[i]) != type.values.end()) {
          error = "enum value \"" + args[i] + "\" is listed twice";
          return std::nullopt;
        }
        type.values.push_back(args[i]);
      }
      break;
  }
  return type;
}

std::string type_text(const ir::ColumnType& type) {
  std::string name;
  for (const auto& entry : kTypes)
    if (entry.kind == type.kind) {
      name = entry.name;
      break;
    }
  switch (type.kind) {
    case Kind::String:
    case Kind::Char:
    case Kind::Vector:
      return type.length ? name + "(" + std::to_string(*type.length) + ")" : name;
    case Kind::Decimal:
      if (!type.precision) return name;
      return name + "(" + std::to_string(*type.precision) +
             (type.scale ? ", " + std::to_string(*type.scale) : std::string()) + ")";
    case Kind::Enum: {
      std::string out = name + "(";
      for (std::size_t i = 0; i < type.values.size(); ++i)
        out += (i ? ", " : "") + quote_string(type.values[i]);
      return out + ")";
    }
    default:
      return name;
  }
}

}  // namespace migpkg::dsl
