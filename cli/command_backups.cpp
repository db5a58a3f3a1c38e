// backups: the backups of a database (where install and rollback put them), newest first, and
// pruning them to a retention (--prune --keep N / --keep-days D, or the configuration's).
#include <ctime>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/backup_settings.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/report_json.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/installer/backup_listing.hpp"

namespace migpkg::cli {
namespace {

using ojson = nlohmann::ordered_json;

std::string size_text(std::uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0)
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  else
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
  return text;
}

std::string age_text(std::int64_t seconds) {
  if (seconds < 0) return "in the future";
  struct Unit {
    std::int64_t size;
    const char* name;
  };
  for (Unit unit : {Unit{86400, "day"}, Unit{3600, "hour"}, Unit{60, "minute"}})
    if (seconds >= unit.size) {
      std::int64_t n = seconds / unit.size;
      return std::to_string(n) + " " + unit.name + (n == 1 ? "" : "s") + " ago";
    }
  return std::to_string(seconds) + " second" + (seconds == 1 ? "" : "s") + " ago";
}

std::string migration_text(const runtime::PrecededMigration& m) {
  return m.plugin_id + "/" + m.migration_id +
         (m.direction == "down" ? " (rollback)" : " (install)");
}

void print_backup(const runtime::DatabaseBackup& entry, std::time_t now) {
  const runtime::ListedBackup& b = entry.backup;
  std::cout << "  " << b.path << "\n    created " << b.created << " ("
            << age_text(now - b.created_time) << "), " << size_text(b.size) << ", " << b.rows
            << (b.rows == 1 ? " row" : " rows") << ", " << b.engine
            << (b.compressed ? ", compressed" : ", not compressed")
            << (b.encrypted ? ", encrypted" : ", not encrypted") << "\n";
  if (entry.before.empty()) {
    std::cout << "    taken as \"" << b.label << "\" (no migration in the history names it)\n";
    return;
  }
  std::cout << "    before ";
  for (std::size_t i = 0; i < entry.before.size(); ++i)
    std::cout << (i ? ", " : "") << migration_text(entry.before[i]);
  std::cout << "\n";
}

}  // namespace

int run_backups(const Arguments& args) {
  if (!args.positionals().empty()) throw UsageError("backups takes no arguments");
  bool prune = args.flag("--prune");
  bool dry_run = args.flag("--dry-run");
  bool json = args.flag("--json");
  if (!prune && (args.value("--keep") || args.value("--keep-days")))
    throw UsageError("--keep and --keep-days say what --prune keeps; add --prune");
  if (!prune && dry_run) throw UsageError("--dry-run goes with --prune");
  Config config = load_config(args);
  runtime::Retention rule = retention(args, config);
  if (prune && !rule.any())
    throw UsageError(
        "--prune needs --keep N or --keep-days D (or backups.keep / backups.keep_days in the "
        "configuration)");

  std::string database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(database);
  std::string directory = backup_directory(args, url, &config);
  // A SQLite file that is not there is not created: its backups are found by their manifests.
  std::unique_ptr<runtime::Connection> connection;
  if (!database_missing(url)) connection = open_for_reading(url);
  auto backups = runtime::database_backups(connection.get(), url, directory);

  runtime::PruneOutcome outcome;
  if (prune) outcome = runtime::prune_backups(backups, rule, {}, dry_run);
  std::set<std::string> pruned;
  for (const auto& b : outcome.deleted) pruned.insert(b.path);
  std::time_t now = std::time(nullptr);

  if (json) {
    ojson out;
    out["database"] = runtime::redact_password(database);
    out["engine"] = ir::engine_name(url.engine);
    out["directory"] = directory;
    out["backups"] = ojson::array();
    for (const auto& b : backups)
      if (!pruned.count(b.backup.path)) out["backups"].push_back(backup_json(b, now));
    if (prune) {
      out["dryRun"] = dry_run;
      out["pruned"] = ojson::array();
      for (const auto& b : backups)
        if (pruned.count(b.backup.path)) out["pruned"].push_back(backup_json(b, now));
      out["problems"] = outcome.problems;
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::size_t kept = backups.size() - pruned.size();
    std::cout << "backups of " << runtime::redact_password(database) << " in " << directory << ": "
              << kept << (prune ? (dry_run ? " would stay" : " kept") : "") << "\n";
    for (const auto& b : backups)
      if (!pruned.count(b.backup.path)) print_backup(b, now);
    for (const auto& b : outcome.deleted)
      std::cout << (dry_run ? "would delete " : "deleted ") << b.path << "\n";
    for (const auto& problem : outcome.problems) std::cerr << "migpkg backups: " << problem << "\n";
  }
  return outcome.problems.empty() ? kOk : kFailed;
}

}  // namespace migpkg::cli
