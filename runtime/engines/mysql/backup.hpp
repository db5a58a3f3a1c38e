#pragma once
// Internal to the MySQL engine's backups: the per-table record of the manifest, the data file's
// line format, and the ordered SELECT both backup and restore read a table with.
//
// A backup is a directory "<label>-<UTC time>/" holding manifest.json and one
// "<table>.rows" file per user table (migpkg_* excluded): one line per row, fields separated by
// a tab, NULL as \N, and in values '\' '\t' '\n' '\r' written as \\ \t \n \r; a value is the text
// the server sends for it (the bytes themselves for binary columns).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/engines/engine.hpp"

#include "runtime/backup/backup_internal.hpp"
#include "runtime/engines/mysql/connection.hpp"

namespace migpkg::runtime::mysql {

struct BackupColumn {
  std::string name;
  std::string type;  // information_schema COLUMN_TYPE
  bool not_null = false;
  bool generated = false;  // computed by the server: never copied
};

struct BackupTable {
  std::string name, file;
  std::int64_t rows = 0;
  std::string sha256;
  std::vector<BackupColumn> columns;
  std::vector<std::string> primary_key;
  std::string create_table;  // SHOW CREATE TABLE, under the session's sql_mode (ANSI_QUOTES)
};

nlohmann::json to_json(const BackupTable& table);
BackupTable table_from_json(const nlohmann::json& json, const std::string& manifest_path);

std::vector<std::string> copied_columns(const BackupTable& table);
// SELECT of the copied columns in a stable order: the primary key, else every column's bytes.
std::string ordered_select(const BackupTable& table);

// One row as a data-file line, with its newline; and back.
std::string encode_row(const Row& row);
Row decode_row(const std::string& line);  // `line` without its newline

struct TableRead {
  std::int64_t rows = 0;
  std::string sha256;
};
// Reads `table` with ordered_select, hashing its lines; with a non-empty `file`, writes them there
// too (0600, fsynced).
TableRead read_table(MysqlConnection& connection, const BackupTable& table,
                     const std::string& file);
// Counts and hashes a data file.
TableRead hash_file(const std::string& path);

// The session's time zone is pinned to UTC while a backup or restore reads or writes TIMESTAMP
// values, and given back afterwards.
class UtcSession {
 public:
  explicit UtcSession(MysqlConnection& connection);
  ~UtcSession();
  UtcSession(const UtcSession&) = delete;
  UtcSession& operator=(const UtcSession&) = delete;

 private:
  MysqlConnection& connection_;
  std::string previous_;
};

}  // namespace migpkg::runtime::mysql
