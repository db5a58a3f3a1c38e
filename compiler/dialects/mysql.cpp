// MySQL 8 / MariaDB 10.5+: backtick identifiers, backslash escapes in strings, no
// transactional DDL (each DDL statement commits), no partial indexes, native ENUM.
#include "compiler/dialects/dialect.hpp"

namespace migpkg {

const Dialect& mysql_dialect() {
  static const Dialect dialect([] {
    DialectSpec s;
    s.name = "mysql";
    s.engine = ir::Engine::MySQL;
    s.identifier_open = s.identifier_close = '`';
    s.transactional_ddl = false;
    s.backslash_escapes = true;
    s.split.backslash_escapes = true;
    s.split.backtick_identifiers = true;
    s.concat_operator = ",";  // MySQL's || is OR: concat is CONCAT(a , b , c)
    s.functions = {
        {"upper", "UPPER({0})"},
        {"lower", "LOWER({0})"},
        {"trim", "TRIM({0})"},
        {"ltrim", "LTRIM({0})"},
        {"rtrim", "RTRIM({0})"},
        {"length", "CHAR_LENGTH({0})"},
        {"abs", "ABS({0})"},
        {"round", "ROUND({0}[, {1}])"},
        {"substring", "SUBSTRING({0}, {1}[, {2}])"},
        {"replace", "REPLACE({0}, {1}, {2})"},
        {"concat", "CONCAT({0}, {*})"},
        {"coalesce", "COALESCE({0}, {1})"},
        {"nullif", "NULLIF({0}, {1})"},
        {"to_text", "CAST({0} AS CHAR)"},
        {"to_integer", "CAST({0} AS SIGNED)"},
        {"to_decimal", "CAST({0} AS DECIMAL(65,30))"},
        {"to_boolean",
         "(CASE WHEN {0} IS NULL THEN NULL WHEN LOWER(CAST({0} AS CHAR)) IN ('1', 't', 'true', "
         "'y', 'yes', 'on') THEN TRUE ELSE FALSE END)"},
    };
    using T = ir::ColumnType::Kind;
    s.ddl.types = {
        {T::Bool, "BOOLEAN"},
        {T::Int16, "SMALLINT"},
        {T::Int32, "INT"},
        {T::Int64, "BIGINT"},
        {T::Serial, "INT AUTO_INCREMENT"},
        {T::BigSerial, "BIGINT AUTO_INCREMENT"},
        {T::Decimal, "DECIMAL({p},{s})"},
        {T::Float32, "FLOAT"},
        {T::Float64, "DOUBLE"},
        // Character types pin utf8mb4: without it a column takes the table's, and so the
        // database's, default character set, which may be latin1 (or 3-byte utf8), and then
        // 'Stanisław' or an emoji is refused ("Incorrect string value") or mangled. On the
        // column, not only the table, because MODIFY COLUMN restates it and would otherwise
        // convert it to the table's default. The collation is the server's default for utf8mb4.
        {T::Text, "LONGTEXT CHARACTER SET utf8mb4"},
        {T::String, "VARCHAR({n}) CHARACTER SET utf8mb4"},
        {T::Char, "CHAR({n}) CHARACTER SET utf8mb4"},
        {T::Bytes, "LONGBLOB"},
        {T::Uuid, "CHAR(36)"},
        {T::Json, "JSON"},
        {T::Date, "DATE"},
        {T::Time, "TIME(6)"},
        {T::Timestamp, "DATETIME(6)"},
        // TIMESTAMP would convert to the session time zone and stops in 2038: DATETIME(6)
        // holds the instant as written (store UTC).
        {T::TimestampTz, "DATETIME(6)"},
        {T::Enum, "ENUM({values}) CHARACTER SET utf8mb4"},
        {T::Vector, "JSON"},  // a JSON array of numbers
    };
    s.ddl.max_string_length = 16383;  // 65535 bytes a row, 4 bytes a character in utf8mb4
    s.ddl.max_char_length = 255;
    s.ddl.enum_as_check = false;
    s.ddl.now_default = "CURRENT_TIMESTAMP(6)";
    s.ddl.uuid_default = "(UUID())";
    s.ddl.parenthesized_default_kinds = {T::Text, T::Bytes, T::Json, T::Vector};
    s.ddl.supports_partial_index = false;
    s.ddl.drop_index_needs_table = true;
    s.ddl.unsupported_on_delete = {ir::ReferentialAction::SetDefault};
    s.ddl.unsupported_on_update = {ir::ReferentialAction::SetDefault};
    s.ddl.alter_style = DdlSpec::AlterStyle::MySQLModify;
    s.ddl.comment_style = DdlSpec::CommentStyle::MySQL;
    // For the columns raw SQL adds later without a character set.
    s.ddl.table_options = " DEFAULT CHARACTER SET utf8mb4";
    s.ddl.drop_constraint_by_kind = true;
    s.ddl.foreign_key_index = true;
    s.ddl.column_position = true;
    s.ddl.max_name_length = 64;
    return s;
  }());
  return dialect;
}

}  // namespace migpkg
