#include "runtime/installer/backup_listing.hpp"

#include <climits>
#include <cstdlib>
#include <map>

#include "runtime/backup/backup.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {
namespace {

std::string resolved(const std::string& path) {
  char buffer[PATH_MAX];
  return realpath(path.c_str(), buffer) ? std::string(buffer) : path;
}

}  // namespace

std::string canonical_backup_path(std::string path) {
  const std::string manifest = ".manifest.json";
  if (path.size() > manifest.size() &&
      path.compare(path.size() - manifest.size(), manifest.size(), manifest) == 0)
    path.erase(path.size() - manifest.size());
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return resolved(path);
}

std::vector<DatabaseBackup> database_backups(Connection* connection, const DatabaseUrl& url,
                                             const std::string& directory) {
  std::map<std::string, std::vector<PrecededMigration>> named;
  if (connection) {
    Bookkeeping bookkeeping(*connection);
    if (bookkeeping.tables_exist()) {
      bookkeeping.check_version();
      for (const auto& row : bookkeeping.history()) {
        if (row.backup.empty()) continue;
        auto& list = named[canonical_backup_path(row.backup)];
        PrecededMigration m{row.plugin_id, row.migration_id, row.direction};
        bool seen = false;
        for (const auto& e : list)
          seen = seen || (e.plugin_id == m.plugin_id && e.migration_id == m.migration_id &&
                          e.direction == m.direction);
        // A restore's own rows name the backup too: they did not precede it.
        if (!seen && row.state != "restored") list.push_back(m);
      }
    }
  }
  const std::string identity = engine_of(url).backup_database_name(connection, url);
  const std::string engine = ir::engine_name(url.engine);
  std::vector<DatabaseBackup> out;
  for (auto& listed : list_backups(directory)) {
    if (listed.engine != engine) continue;
    auto it = named.find(canonical_backup_path(listed.path));
    // Backups of earlier versions may record a SQLite file's path as it was given (relative).
    bool same_database =
        !identity.empty() && (listed.database == identity || resolved(listed.database) == identity);
    if (!same_database && it == named.end()) continue;
    DatabaseBackup backup{std::move(listed), {}};
    if (it != named.end()) backup.before = it->second;
    out.push_back(std::move(backup));
  }
  return out;
}

PruneOutcome prune_backups(const std::vector<DatabaseBackup>& newest_first, const Retention& rule,
                           const std::set<std::string>& spared, bool dry_run) {
  std::vector<ListedBackup> listed;
  std::set<std::string> spared_paths;
  for (const auto& backup : newest_first) {
    listed.push_back(backup.backup);
    if (spared.count(canonical_backup_path(backup.backup.path)))
      spared_paths.insert(backup.backup.path);
  }
  PruneOutcome outcome;
  for (auto& backup : backups_to_prune(listed, rule, std::time(nullptr), spared_paths)) {
    if (!dry_run) {
      try {
        delete_backup(backup);
      } catch (const BackupError& error) {
        outcome.problems.push_back(error.what());
        continue;
      }
    }
    outcome.deleted.push_back(std::move(backup));
  }
  return outcome;
}

}  // namespace migpkg::runtime
