// PostgreSQL: the reference dialect; most of DialectSpec's defaults are its spellings.
#include "compiler/dialects/dialect.hpp"

namespace migpkg {

const Dialect& postgresql_dialect() {
  static const Dialect dialect([] {
    DialectSpec s;
    s.name = "postgresql";
    s.engine = ir::Engine::PostgreSQL;
    s.split.dollar_quotes = true;
    s.split.escape_strings = true;
    s.split.nested_comments = true;
    s.functions = {
        {"upper", "UPPER({0})"},
        {"lower", "LOWER({0})"},
        {"trim", "TRIM({0})"},
        {"ltrim", "LTRIM({0})"},
        {"rtrim", "RTRIM({0})"},
        {"length", "CHAR_LENGTH({0})"},
        {"abs", "ABS({0})"},
        // ROUND(x, n) exists only for numeric; cast so integer and float columns work too.
        {"round", "ROUND(CAST({0} AS NUMERIC)[, {1}])"},
        {"substring", "SUBSTRING(CAST({0} AS TEXT) FROM {1}[ FOR {2}])"},
        {"replace", "REPLACE({0}, {1}, {2})"},
        {"concat", "(CAST({0} AS TEXT) || {*})"},
        {"coalesce", "COALESCE({0}, {1})"},
        {"nullif", "NULLIF({0}, {1})"},
        {"to_text", "CAST({0} AS TEXT)"},
        {"to_integer", "CAST({0} AS BIGINT)"},
        {"to_decimal", "CAST({0} AS NUMERIC)"},
        {"to_boolean", "CAST({0} AS BOOLEAN)"},
    };
    // Declarative changes. Enums are TEXT with a CHECK (no CREATE TYPE to manage and drop).
    using T = ir::ColumnType::Kind;
    s.ddl.types = {
        {T::Bool, "BOOLEAN"},
        {T::Int16, "SMALLINT"},
        {T::Int32, "INTEGER"},
        {T::Int64, "BIGINT"},
        {T::Serial, "SERIAL"},
        {T::BigSerial, "BIGSERIAL"},
        {T::Decimal, "NUMERIC({p},{s})"},
        {T::Float32, "REAL"},
        {T::Float64, "DOUBLE PRECISION"},
        {T::Text, "TEXT"},
        {T::String, "VARCHAR({n})"},
        {T::Char, "CHAR({n})"},
        {T::Bytes, "BYTEA"},
        {T::Uuid, "UUID"},
        {T::Json, "JSONB"},
        {T::Date, "DATE"},
        {T::Time, "TIME"},
        {T::Timestamp, "TIMESTAMP"},
        {T::TimestampTz, "TIMESTAMPTZ"},
        {T::Vector, "VECTOR({n})"},  // pgvector
    };
    s.ddl.max_string_length = 10485760;
    s.ddl.max_char_length = 10485760;
    s.ddl.enum_base_type = "TEXT";
    s.ddl.uuid_default = "gen_random_uuid()";  // built in since PostgreSQL 13
    s.ddl.supports_extensions = true;
    s.ddl.alter_style = DdlSpec::AlterStyle::PostgreSQL;
    s.ddl.comment_style = DdlSpec::CommentStyle::CommentOn;
    return s;
  }());
  return dialect;
}

}  // namespace migpkg
