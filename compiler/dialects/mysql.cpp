// MySQL 8 / MariaDB 10.5+: backtick identifiers, backslash escapes in strings, no
// transactional DDL (each DDL statement commits), no partial indexes, native ENUM.
#include "compiler/dialects/dialect.hpp"
#include "compiler/dialects/type_markers.hpp"

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
    s.functions["round"] = "ROUND({0}[, {1}])";
    s.functions["substring"] = "SUBSTRING({0}, {1}[, {2}])";
    s.functions["concat"] = "CONCAT({0}, {*})";
    s.functions["to_text"] = "CAST({0} AS CHAR)";
    s.functions["to_integer"] = "CAST({0} AS SIGNED)";
    s.functions["to_decimal"] = "CAST({0} AS DECIMAL(65,30))";
    s.functions["to_boolean"] =
        "(CASE WHEN {0} IS NULL THEN NULL WHEN LOWER(CAST({0} AS CHAR)) IN ('1', 't', 'true', "
        "'y', 'yes', 'on') THEN TRUE ELSE FALSE END)";
    using T = ir::ColumnType::Kind;
    s.ddl.types[T::Int32] = "INT";
    s.ddl.types[T::Serial] = "INT AUTO_INCREMENT";
    s.ddl.types[T::BigSerial] = "BIGINT AUTO_INCREMENT";
    s.ddl.types[T::Decimal] = "DECIMAL({p},{s})";
    s.ddl.types[T::Float32] = "FLOAT";
    s.ddl.types[T::Float64] = "DOUBLE";
    // Character types pin utf8mb4: without it a column takes the table's, and so the
    // database's, default character set, which may be latin1 (or 3-byte utf8), and then
    // 'Stanisław' or an emoji is refused ("Incorrect string value") or mangled. On the
    // column, not only the table, because MODIFY COLUMN restates it and would otherwise
    // convert it to the table's default. The collation is the server's default for utf8mb4.
    s.ddl.types[T::Text] = "LONGTEXT CHARACTER SET utf8mb4";
    s.ddl.types[T::String] = "VARCHAR({n}) CHARACTER SET utf8mb4";
    s.ddl.types[T::Char] = "CHAR({n}) CHARACTER SET utf8mb4";
    s.ddl.types[T::Bytes] = "LONGBLOB";
    s.ddl.types[T::Uuid] = "CHAR(36)";
    s.ddl.types[T::Json] = "JSON";
    s.ddl.types[T::Time] = "TIME(6)";
    s.ddl.types[T::Timestamp] = "DATETIME(6)";
    // TIMESTAMP would convert to the session time zone and stops in 2038: DATETIME(6) holds
    // the instant as written (store UTC).
    s.ddl.types[T::TimestampTz] = "DATETIME(6)";
    s.ddl.types[T::Enum] = "ENUM({values}) CHARACTER SET utf8mb4";
    s.ddl.types[T::Vector] = "JSON";  // a JSON array of numbers
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
    s.ddl.unkeyable_kinds = {T::Text, T::Bytes, T::Json, T::Vector};
    s.ddl.max_key_characters = 768;  // 3072 bytes an InnoDB key, 4 bytes a character
    // CHAR(36) and DATETIME(6) are also what a char(36) and a timestamp are: the comment says
    // which (a column type of its own, e.g. CHAR(36) in ascii, would not match a uuid column
    // of a table made before, which a new foreign key may reference).
    s.ddl.comment_type_markers = {{T::Uuid, type_markers::kUuid},
                                  {T::TimestampTz, type_markers::kTimestampTz}};
    return s;
  }());
  return dialect;
}

}  // namespace migpkg
