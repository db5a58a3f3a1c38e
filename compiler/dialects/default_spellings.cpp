// The spellings a DialectSpec starts from: PostgreSQL's, the reference dialect. Each dialect
// file then states only where it differs (sqlglot's style), so a difference is visible as one
// line and a new function or type needs a spelling only where the default is wrong.
#include "compiler/dialects/dialect.hpp"

namespace migpkg {

std::map<std::string, std::string> default_functions() {
  return {
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
}

std::map<ir::ColumnType::Kind, std::string> default_types() {
  using T = ir::ColumnType::Kind;
  return {
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
}

}  // namespace migpkg
