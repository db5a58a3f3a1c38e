#pragma once
// One SQL dialect, stated as data wherever a table can say it (sqlglot-style): quoting, literal
// spelling, feature flags and the spelling of each built-in transform function. Each dialect is
// one file (postgresql.cpp, sqlite.cpp, ...) that fills a DialectSpec and registers it by name.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/sql/statement_splitter.hpp"

namespace migpkg {

// PostgreSQL's spellings of the built-in transform functions and of the portable types, which
// every DialectSpec starts from; a dialect file overrides what it spells otherwise.
std::map<std::string, std::string> default_functions();
std::map<ir::ColumnType::Kind, std::string> default_types();

// How a dialect spells declarative changes (compiler/dialects/ddl_generator.cpp). Everything
// that differs between engines is data here; the generator holds no per-engine branches except
// on these members.
struct DdlSpec {
  // Portable type -> SQL type: "{n}" is the length / dimensions, "{p}" and "{s}" precision and
  // scale, "{values}" the quoted enum values. A kind missing here cannot be expressed; the
  // reason is in `type_gaps`.
  std::map<ir::ColumnType::Kind, std::string> types = default_types();
  std::map<ir::ColumnType::Kind, std::string> type_gaps;
  // Largest string(n) / char(n) length the type spelling supports (0: no limit).
  std::int64_t max_string_length = 0;
  std::int64_t max_char_length = 0;
  // Enum: "check" stores the values in `enum_base_type` (with "{n}" = the longest value) and
  // adds an inline CHECK (col IN (...)); "native" uses types[Enum] (MySQL's ENUM(...)).
  bool enum_as_check = true;
  std::string enum_base_type = "TEXT";

  std::string now_default = "CURRENT_TIMESTAMP";
  std::string uuid_default;  // empty: no generator, uuid() defaults cannot be expressed
  // Literal defaults of these kinds must be wrapped in parentheses (MySQL: TEXT, BLOB, JSON).
  std::vector<ir::ColumnType::Kind> parenthesized_default_kinds;
  // SQL Server names default constraints; dropping one needs a lookup by column.
  bool named_default_constraints = false;
  // Generated values: the identity clause is part of types[Serial/BigSerial]. SQLite instead
  // generates only for a single INTEGER PRIMARY KEY column (rowid alias).
  bool serial_needs_rowid_primary_key = false;

  // Run around the rebuild's final rename. SQLite re-checks every view and trigger while
  // renaming, and one that uses the table fails then (the table is gone for a moment); the
  // legacy rename does not, and leaves references in other tables as written.
  std::string rebuild_before_rename, rebuild_after_rename;
  bool supports_partial_index = true;
  bool drop_index_needs_table = false;  // DROP INDEX name ON table
  bool supports_extensions = false;
  std::string add_column = "ADD COLUMN";  // SQL Server: "ADD"
  // Per referential action: can the dialect spell it (ON DELETE / ON UPDATE)?
  std::vector<ir::ReferentialAction> unsupported_on_delete, unsupported_on_update;

  // Rebuild (SQLite): ALTER COLUMN, DROP COLUMN and constraint changes go through a copy of
  // the table.
  enum class AlterStyle { PostgreSQL, MySQLModify, SQLServer, OracleModify, Rebuild };
  AlterStyle alter_style = AlterStyle::PostgreSQL;
  bool alters_by_rebuild() const { return alter_style == AlterStyle::Rebuild; }
  enum class RenameStyle { AlterTable, SpRename };
  RenameStyle rename_style = RenameStyle::AlterTable;
  enum class CommentStyle { None, CommentOn, MySQL, ExtendedProperty };
  CommentStyle comment_style = CommentStyle::CommentOn;
  bool drop_constraint_by_kind = false;  // MySQL: DROP PRIMARY KEY / FOREIGN KEY / INDEX
  // MySQL: a foreign key needs an index on its columns. One it creates implicitly is dropped
  // silently when a later index covers the columns (and that index then cannot be dropped), so
  // migpkg gives a foreign key that no other index covers an index of its own, named like it
  // (compiler/dialects/foreign_key_index.hpp).
  bool foreign_key_index = false;
  bool column_position = false;  // MySQL: ADD COLUMN ... AFTER x / FIRST
  // Longest constraint or index name the dialect takes (0: no limit). A longer one, generated
  // or written, is cut with a hash suffix (schema::bounded_name) wherever DDL names it, so
  // creating and dropping it agree.
  std::size_t max_name_length = 0;
  // Written after a CREATE TABLE's closing parenthesis (MySQL: the default character set).
  std::string table_options;
  // SQL Server refuses actions on a self-referencing foreign key (possible cycles).
  bool self_reference_actions = true;
  // Column kinds the dialect cannot put in a key or index (their type is a LOB: MySQL indexes
  // only a prefix of TEXT/BLOB and none of JSON; Oracle's CLOB/BLOB, SQL Server's (MAX) types).
  // The compiler refuses such a key rather than write DDL the database refuses at install.
  std::vector<ir::ColumnType::Kind> unkeyable_kinds;
  // The most characters of string columns one key can hold (0: no limit): MySQL's InnoDB keys
  // hold 3072 bytes, 768 characters of utf8mb4. `copy --create` keeps the text columns it
  // turns into string(n) for a key within it (runtime/data/copy_create.cpp).
  std::int64_t max_key_characters = 0;
  // Kinds spelt like another kind (MySQL: uuid as CHAR(36), timestamptz as DATETIME(6)), and the
  // marker their column's comment ends with, so that the catalog reads the declared kind back
  // (compiler/dialects/type_markers.hpp). Only with CommentStyle::MySQL (inline comments).
  std::map<ir::ColumnType::Kind, std::string_view> comment_type_markers;
};

struct DialectSpec {
  std::string name;  // as used on the command line: "postgresql", "sqlite", ...
  ir::Engine engine;

  char identifier_open = '"';
  char identifier_close = '"';
  std::string true_literal = "TRUE";
  std::string false_literal = "FALSE";
  bool transactional_ddl = true;
  // How the readable SQL opens a transaction ("" = implicitly, as Oracle does).
  std::string begin_transaction = "BEGIN";
  SplitOptions split;

  // Built-in transform functions: "{0}" is the value, "{1}".. the parameters, "{*}" every
  // parameter joined by the dialect's concatenation; "[...]" wraps what only an optional
  // parameter needs.
  std::map<std::string, std::string> functions = default_functions();
  std::string concat_operator = "||";

  // Generated checks (compiler/planner): can a select list hold a boolean expression
  // (SELECT COUNT(*) = 0)? SQL Server and Oracle have no boolean values in a select list, so
  // there a check selects CASE WHEN ... THEN 1 ELSE 0 END instead.
  bool boolean_select = true;
  // What a SELECT without a table selects from (Oracle: " FROM DUAL").
  std::string no_table_from;
  // Before a table alias: Oracle accepts `FROM t "m"` only, not `FROM t AS "m"`.
  std::string table_alias_keyword = " AS ";

  bool backslash_escapes = false;  // MySQL: '\' escapes inside string literals
  std::string string_prefix;       // SQL Server: N'...' for Unicode text
  DdlSpec ddl;
};

class Dialect {
 public:
  explicit Dialect(DialectSpec spec) : spec_(std::move(spec)) {}
  const DialectSpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name; }
  ir::Engine engine() const { return spec_.engine; }

  // "users" -> "users" quoted; "crm.users" -> "crm"."users" (each part quoted).
  std::string quote_identifier(const std::string& name) const;
  std::string quote_qualified(const std::string& dotted_name) const;
  // The same, appended to `out`.
  void append_identifier(std::string& out, std::string_view name) const;
  void append_qualified(std::string& out, std::string_view dotted_name) const;
  std::string string_literal(const std::string& text) const;
  std::string literal(const ir::Literal& value) const;
  std::vector<std::string> split(const std::string& script) const;

  // A generated check: one row whose one column is non-zero when `condition` holds, evaluated
  // over `from` (a FROM clause without the keyword, or "" for none). Valid on every dialect:
  // "SELECT <condition> FROM <from>" where a select list can hold a boolean, else
  // "SELECT CASE WHEN <condition> THEN 1 ELSE 0 END FROM <from>".
  std::string check_select(const std::string& condition, const std::string& from) const;
  // A WHERE predicate that holds when `predicate` is false or NULL (a row breaking a rule).
  std::string false_or_null(const std::string& predicate) const;
  // " AS <alias>" (" <alias>" on Oracle) after a table or derived table, alias quoted.
  std::string table_alias(const std::string& alias) const;

  // The function's SQL applied to `value`, or "" when the dialect has no spelling for it.
  std::string call_function(const std::string& name, const std::string& value,
                            const std::vector<ir::Literal>& parameters) const;

 private:
  DialectSpec spec_;
};

const Dialect* find_dialect(const std::string& name);
const Dialect& dialect_for(ir::Engine engine);  // only for engines with a registered dialect
std::vector<std::string> dialect_names();

// Each dialect file defines one of these; the registry lists them.
const Dialect& postgresql_dialect();
const Dialect& sqlite_dialect();
const Dialect& mysql_dialect();
const Dialect& sqlserver_dialect();
const Dialect& oracle_dialect();

}  // namespace migpkg
