#pragma once
// Internal to runtime/engines/postgresql/: one PostgreSQL value (its text output in the session
// settings read_data sets: DateStyle ISO, TimeZone UTC, bytea_output hex) <-> its portable form
// (data_table.hpp), and the COPY text format's lines. docs/data.md, "Type mapping".
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data/data_table.hpp"

namespace migpkg::runtime::postgresql_data {

// The portable form of a value PostgreSQL printed for a column of `type`; throws
// std::invalid_argument with the reason when it has none (a BC date, 'infinity', a NaN decimal).
std::string read_value(std::string_view text, const ir::ColumnType& type);

// What PostgreSQL cannot hold of a value data::portable::fit accepted: a NUL byte in text or
// JSON. Throws std::invalid_argument with the reason.
void fit_postgresql(const ir::ColumnType& type, const std::string& value);

// The text PostgreSQL reads as the value (bytes as "\x" and hex digits; the rest as it is).
std::string input_text(const ir::ColumnType& type, const std::string& value);

// Appends one field to a COPY text-format line: \N for NULL, else the text with backslash,
// newline, carriage return and tab escaped.
void append_copy_field(std::string& line, const data::Value& text);

}  // namespace migpkg::runtime::postgresql_data
