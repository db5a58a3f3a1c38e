#pragma once
// Internal to runtime/engines/mysql/: one MySQL / MariaDB value (its text in a session whose
// time_zone is UTC) <-> its portable form (data_table.hpp). docs/data.md, "Type mapping".
#include <string>

#include "runtime/data/data_table.hpp"

namespace migpkg::runtime::mysql {

class MysqlConnection;

// The portable form of a value the server printed for a column of `type` (a FLOAT read as
// `c + 0e0`, its exact double); throws std::invalid_argument with the reason when it has none.
// Text kept as it is (text, strings, enums, bytes) is moved out of `text`, which is then empty;
// `text` is left as it was when the call throws.
std::string read_value(std::string& text, const ir::ColumnType& type);

// Before the portable check: a timestamp with an offset or "Z" for a DATETIME column becomes
// the same instant in UTC without a zone (the MySQL dialect stores a timestamptz in DATETIME(6)
// as UTC).
void fit_mysql_before(const ir::ColumnType& type, std::string& value);
// After it: what MySQL cannot hold (NaN, infinities, -0; a TIMESTAMP outside 1970-2038; a
// character the column's character set lacks). `charset` and `sql_type` as information_schema
// names them (CHARACTER_SET_NAME, DATA_TYPE): a timestamptz is a TIMESTAMP, or a DATETIME
// that migpkg marked as one (compiler/dialects/type_markers.hpp).
void fit_mysql_after(const ir::ColumnType& type, const std::string& value,
                     const std::string& charset, const std::string& sql_type);

// The SQL literal of a portable value for a column of `type`.
std::string value_literal(const MysqlConnection& db, const ir::ColumnType& type,
                          const data::Value& value);

}  // namespace migpkg::runtime::mysql
