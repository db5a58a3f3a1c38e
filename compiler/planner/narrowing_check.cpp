#include "compiler/planner/narrowing_check.hpp"

#include <cstdio>

namespace migpkg {
namespace {

ir::Literal integer_literal(std::int64_t value) {
  ir::Literal out;
  out.kind = ir::Literal::Kind::Integer;
  out.integer = value;
  out.text = std::to_string(value);
  return out;
}

// 10^digits as a literal: exact digits while every engine reads them as an exact number (SQL
// Server's numeric stops at 38 digits), an exponent beyond.
std::string power_of_ten(std::int64_t digits) {
  if (digits <= 37) return "1" + std::string(static_cast<std::size_t>(digits), '0');
  return "1E" + std::to_string(digits);
}

std::string real_literal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17G", value);
  return text;
}

}  // namespace

plan::Check narrowing_check(const schema::Narrowing& n, const Dialect& d) {
  std::string column = d.quote_identifier(n.column);
  std::vector<std::string> misfits;  // conditions under which a value does not fit
  std::string details;               // the select list after the count
  std::string shown;                 // how the message shows those details
  if (n.max_length) {
    std::string length = d.call_function("length", column, {});
    misfits.push_back(length + " > " + std::to_string(*n.max_length));
    details = "MAX(" + length + ")";
    shown = "longest {3} characters";
  } else if (n.enum_values) {
    std::string values;
    for (const auto& value : n.to.values)
      values += (values.empty() ? "" : ", ") + d.string_literal(value);
    misfits.push_back(column + " NOT IN (" + values + ")");
    details = "MIN(" + column + ")";
    shown = "for example {3}";
  } else {
    if (n.min_value)
      misfits.push_back(column + " < " + *n.min_value + " OR " + column + " > " + *n.max_value);
    if (n.integer_digits) {
      std::string bound = power_of_ten(*n.integer_digits);
      misfits.push_back(column + " <= -" + bound + " OR " + column + " >= " + bound);
    }
    if (n.fraction_digits)
      misfits.push_back(column + " <> " +
                        d.call_function("round", column, {integer_literal(*n.fraction_digits)}));
    if (n.float_magnitude) {
      std::string bound = real_literal(*n.float_magnitude);
      misfits.push_back(column + " < -" + bound + " OR " + column + " > " + bound);
    }
    details = "MIN(" + column + "), MAX(" + column + ")";
    shown = "values from {3} to {4}";
  }
  std::string where;
  for (const auto& misfit : misfits)
    where += (where.empty() ? "" : " OR ") + (misfits.size() > 1 ? "(" + misfit + ")" : misfit);
  plan::Check check;
  check.sql = "SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END, COUNT(*), " + details + " FROM " +
              d.quote_qualified(n.table) + " WHERE " + where;
  check.message =
      "narrowing " + schema::describe(n) + ": rows that do not fit: {2} (" + shown + ")";
  check.origin = "narrowing";
  return check;
}

}  // namespace migpkg
