#include "compiler/lint/lint_rules.hpp"

namespace migpkg::lint {

const char* to_string(Level level) {
  switch (level) {
    case Level::Off:
      return "off";
    case Level::Warning:
      return "warning";
    case Level::Error:
      return "error";
  }
  return "warning";
}

std::optional<Level> level_from_name(const std::string& name) {
  for (Level level : {Level::Off, Level::Warning, Level::Error})
    if (name == to_string(level)) return level;
  return std::nullopt;
}

const std::vector<Rule>& rules() {
  // Losing rows is an error by default (the author states it by turning the code off for the
  // run or in the configuration); costs of running (rewrites, locks, compatibility) are
  // warnings: they depend on the table's size and the deployment, which lint cannot see.
  static const std::vector<Rule> table = {
      {"L101", "drop-table", "data-loss", Level::Error, "every dialect",
       "an up step drops a table that existed before the migration, with its rows",
       "keep the table, or move its rows elsewhere first (a transform step); when they may go, "
       "turn L101 off for this run (--level L101=off)"},
      {"L102", "drop-column", "data-loss", Level::Error, "every dialect",
       "an up step drops a column of a table that existed before the migration, with its values",
       "keep the column, or copy its values elsewhere first; when they may go, turn L102 off "
       "for this run (--level L102=off)"},
      {"L103", "narrowing-type-change", "data-loss", Level::Warning, "every dialect",
       "an up step changes a column to a type that cannot hold every value of the old one",
       "widen instead, or clean the values that do not fit in an earlier step: the install "
       "refuses while one does not fit"},
      {"L104", "down-loses-rows", "data-loss", Level::Error, "every dialect",
       "an explicit down step drops a table or column, or narrows a column, that existed "
       "before the up: rolling back loses rows the migration does not declare lost",
       "let the down be derived (the DSL's default, \"down\": \"automatic\"), which declares "
       "what it cannot bring back, or undo only what the up added"},
      {"L201", "sqlite-rebuild", "rewrite", Level::Warning, "sqlite",
       "the change is planned on SQLite as a table rebuild: every row is copied into a new "
       "table while the database is locked",
       "on a large table plan a maintenance window, or group the table's changes into one "
       "migration so it is rebuilt once"},
      {"L202", "postgresql-rewrite", "rewrite", Level::Warning, "postgresql",
       "the type change rewrites the whole table under an ACCESS EXCLUSIVE lock on PostgreSQL",
       "add a new column of the new type, fill it in batches (a transform with batchSize), and "
       "switch over in a later release (expand/contract)"},
      {"L203", "mysql-copy-alter", "rewrite", Level::Warning, "mysql",
       "the ALTER needs ALGORITHM=COPY on MySQL/MariaDB: the table is copied and writes wait",
       "add a new column and fill it in batches instead of changing one in place; or run the "
       "change in a maintenance window (or with an online schema change tool)"},
      {"L301", "index-without-concurrently", "lock", Level::Warning, "postgresql",
       "an index (or a unique or primary key) is built on an existing table without "
       "CONCURRENTLY: writes to the table wait until it is built",
       "build it in a `not transactional` raw SQL step (\"transactional\": false) with CREATE "
       "INDEX CONCURRENTLY, then add the constraint USING INDEX if one is wanted"},
      {"L302", "constraint-without-not-valid", "lock", Level::Warning, "postgresql",
       "a foreign key or CHECK is added to an existing table without NOT VALID: the table (and "
       "a foreign key's parent) is scanned under lock",
       "add it in raw SQL with NOT VALID, then VALIDATE CONSTRAINT in a later step (which "
       "takes a lock that lets writes through)"},
      {"L303", "set-not-null-scan", "lock", Level::Warning, "postgresql",
       "SET NOT NULL on an existing table scans every row under an ACCESS EXCLUSIVE lock, "
       "unless a validated CHECK (col IS NOT NULL) already proves it",
       "first add CHECK (col IS NOT NULL) NOT VALID and validate it (raw SQL), then set NOT "
       "NULL (PostgreSQL 12 and later skip the scan), then drop the check"},
      {"L304", "volatile-default", "lock", Level::Warning, "postgresql",
       "a column with a volatile default (uuid(), random(), clock_timestamp(), a serial) is "
       "added to an existing table: PostgreSQL rewrites the table to fill it",
       "add the column without a default (or with a constant one), fill it in batches, then "
       "set the default"},
      {"L401", "incompatible-table-change", "compatibility", Level::Warning, "every dialect",
       "an up step drops or renames a table the plugin's previous version has: that version's "
       "code, still running during the deployment, fails",
       "expand/contract in two releases: add the new table (or a view under the old name) "
       "first, move the code over, drop the old one in the next release"},
      {"L402", "incompatible-column-change", "compatibility", Level::Warning, "every dialect",
       "an up step drops or renames a column the plugin's previous version has: that version's "
       "code, still running during the deployment, fails",
       "expand/contract in two releases: add the new column and write both, move the code "
       "over, drop the old column in the next release"},
      {"L501", "destructive-without-backup", "backup", Level::Error, "every dialect",
       "a migration destroys data but install will take no backup before it (`no backup` / "
       "\"waiveBackup\", or raw SQL, which install does not read for its backup rule)",
       "drop `no backup` (\"waiveBackup\") so install backs up first, or declare `requires "
       "backup` (\"requiresBackup\": true)"},
  };
  return table;
}

const Rule* find_rule(const std::string& code_or_name) {
  for (const Rule& rule : rules())
    if (code_or_name == rule.code || code_or_name == rule.name) return &rule;
  return nullptr;
}

}  // namespace migpkg::lint
