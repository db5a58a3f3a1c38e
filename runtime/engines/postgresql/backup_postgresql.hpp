#pragma once
// Internal to runtime/backup: what PostgreSQL backup and restore share — the per-table record
// kept in the manifest, the session settings the COPY text depends on, and streaming COPY out.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/backup/backup_internal.hpp"

namespace pqxx {
class connection_base;
}

namespace migpkg::runtime::backup_detail {

struct PgColumn {
  std::string name;
  std::string type;  // format_type()
  std::optional<std::string> collation;
  bool not_null = false;
  std::optional<std::string> default_expr;  // pg_get_expr(); for a generated column, its expression
  std::string identity;                     // "", "always" or "by default"
  bool generated = false;                   // GENERATED ALWAYS AS (...) STORED: never copied
};

struct PgSequence {
  std::string column;
  std::string name;    // qualified, quoted as needed
  std::string kind;    // "serial" (owned by the column) or "identity"
  std::string create;  // serial only: CREATE SEQUENCE IF NOT EXISTS ..., for recreating the table
  std::int64_t last_value = 0;
  bool is_called = false;
};

struct PgForeignKey {
  std::string name, definition, ref_schema, ref_name;
};

struct PgTable {
  std::string schema, name, file;
  std::int64_t rows = 0;
  std::string sha256;
  bool partition = false;  // a partition is restored in place but never recreated on its own
  std::vector<PgColumn> columns;
  std::vector<std::string> primary_key;
  std::string create_table;
  std::vector<PgSequence> sequences;
  std::vector<PgForeignKey> foreign_keys;
  std::vector<std::string> indexes;  // CREATE INDEX for indexes no constraint owns
};

nlohmann::json to_json(const PgTable& table);
PgTable table_from_json(const nlohmann::json& json, const std::string& manifest_path);

std::string quote_identifier(const std::string& name);
std::string qualified(const PgTable& table);
std::vector<std::string> copied_columns(const PgTable& table);  // all but generated columns
std::string quoted_list(const std::vector<std::string>& names);

// Statements run first in the backup's and the restore's transaction: COPY's text form depends on
// client_encoding, DateStyle, IntervalStyle, extra_float_digits, bytea_output and TimeZone, so
// both sides pin them; an empty search_path makes the catalog print fully qualified names.
extern const char* const kSessionSettings;

// The COPY source that reads a table in a stable order (primary key, else the text of the whole
// row), so that the same rows always give the same bytes and hash.
std::string copy_source(const PgTable& table);

struct CopyOutcome {
  std::int64_t rows = 0;
  std::string sha256;
};
// Runs COPY <source> TO STDOUT on the connection's open transaction and hashes the lines; with a
// non-empty `file`, also writes them there (created 0600, fsynced).
CopyOutcome copy_out(pqxx::connection_base& connection, const std::string& source,
                     const std::string& file);

// libpqxx's error text without libpq's "ERROR:  " prefix and trailing newline.
std::string server_message(const std::exception& error);

// Counts and hashes one data file as verification does.
CopyOutcome hash_data_file(const std::string& path);

}  // namespace migpkg::runtime::backup_detail
