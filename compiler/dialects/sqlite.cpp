// SQLite: differences from the PostgreSQL defaults.
#include "compiler/dialects/dialect.hpp"

namespace migpkg {

const Dialect& sqlite_dialect() {
  static const Dialect dialect([] {
    DialectSpec s;
    s.name = "sqlite";
    s.engine = ir::Engine::SQLite;
    // SQLite >= 3.23 knows TRUE/FALSE, but 1/0 is what it stores and what every version reads.
    s.true_literal = "1";
    s.false_literal = "0";
    s.split.bracket_identifiers = true;
    s.split.backtick_identifiers = true;
    s.functions = {
        {"upper", "UPPER({0})"},
        {"lower", "LOWER({0})"},
        {"trim", "TRIM({0})"},
        {"ltrim", "LTRIM({0})"},
        {"rtrim", "RTRIM({0})"},
        {"length", "LENGTH({0})"},
        {"abs", "ABS({0})"},
        {"round", "ROUND({0}[, {1}])"},
        {"substring", "SUBSTR({0}, {1}[, {2}])"},
        {"replace", "REPLACE({0}, {1}, {2})"},
        {"concat", "(CAST({0} AS TEXT) || {*})"},
        {"coalesce", "COALESCE({0}, {1})"},
        {"nullif", "NULLIF({0}, {1})"},
        {"to_text", "CAST({0} AS TEXT)"},
        {"to_integer", "CAST({0} AS INTEGER)"},
        {"to_decimal", "CAST({0} AS NUMERIC)"},
        // SQLite has no boolean type: map the usual spellings to 1/0 as PostgreSQL would.
        {"to_boolean",
         "(CASE WHEN {0} IS NULL THEN NULL WHEN LOWER(CAST({0} AS TEXT)) IN ('1', 't', 'true', "
         "'y', 'yes', 'on') THEN 1 ELSE 0 END)"},
    };
    // Declarative changes. SQLite's ALTER TABLE can add, rename and (3.35+) drop columns but
    // not change one or its constraints: those go through the copy-table rebuild. Types follow
    // SQLite's affinities; dates and times are ISO-8601 TEXT, as its date functions expect.
    using T = ir::ColumnType::Kind;
    s.ddl.types = {
        {T::Bool, "BOOLEAN"},
        {T::Int16, "INTEGER"},
        {T::Int32, "INTEGER"},
        {T::Int64, "INTEGER"},
        {T::Serial, "INTEGER"},
        {T::BigSerial, "INTEGER"},
        {T::Decimal, "NUMERIC({p},{s})"},
        {T::Float32, "REAL"},
        {T::Float64, "REAL"},
        {T::Text, "TEXT"},
        {T::String, "VARCHAR({n})"},
        {T::Char, "CHAR({n})"},
        {T::Bytes, "BLOB"},
        {T::Uuid, "TEXT"},
        {T::Json, "TEXT"},
        {T::Date, "TEXT"},
        {T::Time, "TEXT"},
        {T::Timestamp, "TEXT"},
        {T::TimestampTz, "TEXT"},
        {T::Vector, "TEXT"},  // vector: a JSON array of numbers
    };
    s.ddl.enum_base_type = "TEXT";
    // A random (version 4) UUID from randomblob(): SQLite has no UUID function.
    s.ddl.uuid_default =
        "(lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
        "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
        "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))))";
    s.ddl.serial_needs_rowid_primary_key = true;
    s.ddl.rebuild_before_rename = "PRAGMA legacy_alter_table = ON";
    s.ddl.rebuild_after_rename = "PRAGMA legacy_alter_table = OFF";
    s.ddl.alter_style = DdlSpec::AlterStyle::Rebuild;
    s.ddl.comment_style = DdlSpec::CommentStyle::None;
    return s;
  }());
  return dialect;
}

}  // namespace migpkg
