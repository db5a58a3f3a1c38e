#include "compiler/schema/narrowing.hpp"

#include <algorithm>

#include "compiler/schema/type_names.hpp"

namespace migpkg::schema {
namespace {

using Kind = ir::ColumnType::Kind;

// float32's largest finite value, written so that every engine reads the same double.
constexpr double kFloat32Max = 3.4028234663852886e38;

bool is_integer(Kind kind) {
  return kind == Kind::Int16 || kind == Kind::Int32 || kind == Kind::Int64 ||
         kind == Kind::Serial || kind == Kind::BigSerial;
}

bool is_float(Kind kind) {
  return kind == Kind::Float32 || kind == Kind::Float64;
}

bool is_textual(Kind kind) {
  return kind == Kind::Text || kind == Kind::Json || kind == Kind::String || kind == Kind::Char ||
         kind == Kind::Enum;
}

std::int64_t utf8_characters(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// The most characters a value of a textual type can have; nullopt: no limit.
std::optional<std::int64_t> longest_value(const ir::ColumnType& type) {
  switch (type.kind) {
    case Kind::String:
    case Kind::Char:
      return type.length;
    case Kind::Enum: {
      std::int64_t longest = 0;
      for (const auto& value : type.values) longest = std::max(longest, utf8_characters(value));
      return longest;
    }
    default:
      return std::nullopt;
  }
}

struct IntegerRange {
  const char* min;
  const char* max;
  std::int64_t digits;  // the most decimal digits a value has
};

IntegerRange integer_range(Kind kind) {
  switch (kind) {
    case Kind::Int16:
      return {"-32768", "32767", 5};
    case Kind::Int32:
    case Kind::Serial:
      return {"-2147483648", "2147483647", 10};
    default:
      return {"-9223372036854775808", "9223372036854775807", 19};
  }
}

// Digits before the point a decimal(p,s) holds; an integer type's are the digits of its range.
std::int64_t integer_digits_of(const ir::ColumnType& type) {
  if (type.kind == Kind::Decimal) return type.precision.value_or(0) - type.scale.value_or(0);
  return integer_range(type.kind).digits;
}

void narrow_to_integer(const ir::ColumnType& from, Narrowing& out) {
  IntegerRange to = integer_range(out.to.kind);
  bool wider = false;
  if (is_integer(from.kind))
    wider = integer_range(from.kind).digits > to.digits;
  else if (from.kind == Kind::Decimal)
    // decimal(p,s) holds up to 10^(p-s) - 1: within the range when it has fewer digits.
    wider = integer_digits_of(from) >= to.digits;
  else
    wider = is_float(from.kind);
  if (wider) {
    out.min_value = to.min;
    out.max_value = to.max;
  }
  if ((from.kind == Kind::Decimal && from.scale.value_or(0) > 0) || is_float(from.kind))
    out.fraction_digits = 0;
}

void narrow_to_decimal(const ir::ColumnType& from, Narrowing& out) {
  std::int64_t digits = integer_digits_of(out.to);
  std::int64_t scale = out.to.scale.value_or(0);
  if (is_float(from.kind)) {
    out.integer_digits = digits;
    out.fraction_digits = scale;
    return;
  }
  if (!is_integer(from.kind) && from.kind != Kind::Decimal) return;
  if (integer_digits_of(from) > digits) out.integer_digits = digits;
  if (from.kind == Kind::Decimal && from.scale.value_or(0) > scale) out.fraction_digits = scale;
}

bool enum_loses_values(const ir::ColumnType& from, const ir::ColumnType& to) {
  if (from.kind != Kind::Enum) return is_textual(from.kind);
  return std::any_of(from.values.begin(), from.values.end(), [&](const std::string& value) {
    return std::find(to.values.begin(), to.values.end(), value) == to.values.end();
  });
}

}  // namespace

std::optional<Narrowing> narrowing_of(const ir::SchemaChange& change, const SchemaModel& before) {
  if (change.kind != ir::SchemaChange::Kind::AlterColumn || !change.set_type) return std::nullopt;
  const Table* table = before.find_table(change.table);
  const ir::Column* column = table ? table->find_column(change.column) : nullptr;
  if (!column) return std::nullopt;
  Narrowing out;
  out.table = change.table;
  out.column = change.column;
  out.from = column->type;
  out.to = *change.set_type;
  const ir::ColumnType& from = out.from;
  switch (out.to.kind) {
    case Kind::String:
    case Kind::Char:
      if (is_textual(from.kind)) {
        std::optional<std::int64_t> longest = longest_value(from);
        if (!longest || *longest > out.to.length.value_or(0)) out.max_length = out.to.length;
      }
      break;
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
      narrow_to_integer(from, out);
      break;
    case Kind::Decimal:
      narrow_to_decimal(from, out);
      break;
    case Kind::Float32:
      if (from.kind == Kind::Float64) out.float_magnitude = kFloat32Max;
      break;
    case Kind::Enum:
      out.enum_values = enum_loses_values(from, out.to);
      break;
    default:
      break;
  }
  bool narrows = out.max_length || out.min_value || out.integer_digits || out.fraction_digits ||
                 out.float_magnitude || out.enum_values;
  if (!narrows) return std::nullopt;
  return out;
}

std::string describe(const Narrowing& narrowing) {
  return "\"" + narrowing.table + "\".\"" + narrowing.column + "\" from " +
         type_name(narrowing.from) + " to " + type_name(narrowing.to);
}

}  // namespace migpkg::schema
