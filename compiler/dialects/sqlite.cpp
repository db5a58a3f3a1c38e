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
    s.functions["length"] = "LENGTH({0})";
    s.functions["round"] = "ROUND({0}[, {1}])";
    s.functions["substring"] = "SUBSTR({0}, {1}[, {2}])";
    s.functions["to_integer"] = "CAST({0} AS INTEGER)";
    // SQLite has no boolean type: map the usual spellings to 1/0 as PostgreSQL would.
    s.functions["to_boolean"] =
        "(CASE WHEN {0} IS NULL THEN NULL WHEN LOWER(CAST({0} AS TEXT)) IN ('1', 't', 'true', "
        "'y', 'yes', 'on') THEN 1 ELSE 0 END)";
    // Declarative changes. SQLite's ALTER TABLE can add, rename and (3.35+) drop columns but
    // not change one or its constraints: those go through the copy-table rebuild. Integers are
    // INTEGER (so that an integer primary key is the rowid). Dates, times, uuids and JSON are
    // stored as ISO-8601 / canonical text, as SQLite's date and JSON functions expect, but
    // declared by their own names: SQLite keeps a declared type name as written, and the data
    // commands read it back (docs/data.md, "Type mapping") — declared TEXT, a timestamp would
    // leave a SQLite database as text. These names have NUMERIC affinity, which converts only
    // text that is a number literal: no date, time or uuid is one, and a JSON document that is
    // a bare number is kept as the equal SQL number.
    using T = ir::ColumnType::Kind;
    for (T integer : {T::Int16, T::Int32, T::Int64, T::Serial, T::BigSerial})
      s.ddl.types[integer] = "INTEGER";
    s.ddl.types[T::Float64] = "REAL";
    s.ddl.types[T::Bytes] = "BLOB";
    s.ddl.types[T::Uuid] = "UUID";
    s.ddl.types[T::Json] = "JSON";
    s.ddl.types[T::Date] = "DATE";
    s.ddl.types[T::Time] = "TIME";
    s.ddl.types[T::Timestamp] = "TIMESTAMP";
    s.ddl.types[T::TimestampTz] = "TIMESTAMPTZ";
    s.ddl.types[T::Vector] = "TEXT";  // vector: a JSON array of numbers
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
