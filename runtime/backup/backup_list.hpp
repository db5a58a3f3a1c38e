#pragma once
// The backups in a directory (what `migpkg backups` lists and prunes): found by their manifests,
// so that nothing else in the directory is ever taken for a backup, or deleted.
#include <cstdint>
#include <ctime>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace migpkg::runtime {

struct ListedBackup {
  std::string path;                // what `restore` takes: the data file (SQLite) or the directory
  std::string manifest;            // its manifest.json
  std::vector<std::string> files;  // every file of the backup, the manifest last
  std::string engine;              // the manifest's
  std::string database;            // the manifest's: a SQLite file's path, a server's database name
  std::string label;               // what take_backup was given: "<plugin>-<migration>[-rollback]"
  std::string created;             // ISO 8601 UTC, from the manifest
  std::time_t created_time = 0;
  // When its manifest was written, in nanoseconds: orders backups taken in the same second.
  std::int64_t written_ns = 0;
  std::uint64_t size = 0;  // bytes on disk, all files together
  std::int64_t rows = 0;   // the manifest's total
  bool compressed = false;
  bool encrypted = false;
};

// Every migpkg backup directly in `directory`, newest first (by creation time, then name).
// Hidden entries (a backup being written) and anything without a readable migpkg manifest are
// left out; a directory that does not exist holds none. Throws BackupError when `directory`
// cannot be read.
std::vector<ListedBackup> list_backups(const std::string& directory);

// How many backups to keep: a backup goes when neither rule keeps it. `keep` keeps the N newest,
// `keep_days` those created less than D days ago; with neither rule nothing goes.
struct Retention {
  std::optional<std::int64_t> keep;
  std::optional<std::int64_t> keep_days;
  bool any() const { return keep || keep_days; }
};

// The backups of `newest_first` that `rule` does not keep, never one whose path is in `spared`.
std::vector<ListedBackup> backups_to_prune(const std::vector<ListedBackup>& newest_first,
                                           const Retention& rule, std::time_t now,
                                           const std::set<std::string>& spared = {});

// Deletes a listed backup: exactly its files (data files as its manifest names them, the
// manifest last), then its directory when it has one and nothing else is left in it. Throws
// BackupError naming what could not be removed.
void delete_backup(const ListedBackup& backup);

}  // namespace migpkg::runtime
