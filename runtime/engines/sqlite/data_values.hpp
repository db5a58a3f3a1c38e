#pragma once
// Internal to runtime/engines/sqlite/: one SQLite value <-> its portable form (data_table.hpp),
// for read_data and write_data. docs/data.md, "Type mapping", has the table.
#include <sqlite3.h>

#include "runtime/data/data_table.hpp"

namespace migpkg::runtime::sqlite_data {

// The portable form of column `index` of the current row of `statement` for a column of
// `type`, by the value's storage class (SQLite keeps any value in any column). Throws
// std::invalid_argument with the reason when the value is not one of `type` (an epoch number in
// a timestamp column, a BLOB in a text column, 2 in a boolean).
data::Value read_value(sqlite3_stmt* statement, int index, const ir::ColumnType& type);

// Makes a value fit for SQLite that data::portable::fit accepted: throws std::invalid_argument
// for what SQLite cannot hold as given (NaN, -0, a decimal of more than 15 significant digits
// that is not a 64-bit integer), and spells timestamps as SQLite's date functions write them
// ("YYYY-MM-DD HH:MM:SS", UTC without a zone for timestamptz).
void fit_sqlite(const ir::ColumnType& type, std::string& value);

// Binds a portable value (fit and fit_sqlite passed) to parameter `index` as the storage class
// the column keeps: integers for booleans and integers, REAL for floats, BLOB for bytes, text
// otherwise. The value must outlive the statement's step.
int bind_value(sqlite3_stmt* statement, int index, const ir::ColumnType& type,
               const data::Value& value);

}  // namespace migpkg::runtime::sqlite_data
