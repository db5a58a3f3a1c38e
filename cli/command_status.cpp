// status and history: read-only reports of what migpkg recorded in the database, through the
// public API (include/migpkg/, api/), whose results carry the --json report too.
#include <algorithm>
#include <exception>
#include <iostream>

#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/runtime_support.hpp"
#include "include/migpkg/operations.hpp"

namespace migpkg::cli {
namespace {

// The text line saying where a migration came from ("" for sources).
std::string provenance_text(const std::string& package_sha256, const std::string& signing_key) {
  if (package_sha256.empty() && signing_key.empty()) return "";
  return "package sha256:" + (package_sha256.empty() ? "?" : package_sha256) + ", signed by key " +
         (signing_key.empty() ? "?" : signing_key);
}

}  // namespace

int run_status(const Arguments& args) {
  std::string database = database_argument(args);
  parse_database(database);  // a bad URL is a usage error
  api::StatusResult report = api::status(database);
  rethrow_failure(report);
  if (args.flag("--json")) {
    std::cout << report.json << "\n";
    return kOk;
  }
  std::cout << "database " << report.database << " (" << report.engine << ")\n";
  if (report.plugins.empty()) std::cout << "no plugins installed\n";
  for (const api::InstalledPlugin& p : report.plugins) {
    std::cout << "  " << p.plugin_id << " " << p.version << "  (" << p.migrations.size()
              << " migration" << (p.migrations.size() == 1 ? "" : "s") << ", updated "
              << p.updated_at << ")\n";
    // Where its migrations came from, one line per package (and one for sources), in the order
    // they were first applied; nothing when all came from sources.
    std::vector<std::pair<std::string, int>> origins;
    for (const api::AppliedMigration& a : p.migrations) {
      std::string origin = provenance_text(a.package_sha256, a.signing_key);
      if (origin.empty()) origin = "sources";
      auto found = std::find_if(origins.begin(), origins.end(),
                                [&](const auto& known) { return known.first == origin; });
      if (found == origins.end())
        origins.emplace_back(origin, 1);
      else
        ++found->second;
    }
    if (origins.size() == 1 && origins.front().first == "sources") continue;
    for (const auto& [origin, count] : origins)
      std::cout << "    from " << origin << " (" << count << " migration" << (count == 1 ? "" : "s")
                << ")\n";
  }
  for (const api::PartialMigration& f : report.partial)
    std::cout << "PARTIAL " << f.plugin_id << "/" << f.migration_id << " (" << f.direction
              << "): " << f.steps_done << " of " << f.steps_total << " steps done"
              << (f.next_step.empty() ? "" : ", next step " + f.next_step)
              << (f.direction == "up" ? " — run install to resume it or rollback to undo it\n"
                                      : " — run rollback again to finish undoing it\n");
  return kOk;
}

int run_history(const Arguments& args) {
  std::string database = database_argument(args);
  parse_database(database);
  api::HistoryResult report = api::history(database, args.value("--plugin").value_or(""));
  rethrow_failure(report);
  if (args.flag("--json")) {
    std::cout << report.json << "\n";
    return kOk;
  }
  if (report.entries.empty()) std::cout << "no history\n";
  for (const api::HistoryEntry& h : report.entries) {
    std::cout << h.started_at << "  " << h.state << "  " << h.plugin_id << "/" << h.migration_id
              << " " << h.version << " (" << h.direction << ") by " << h.applied_by << ", "
              << h.duration_ms << " ms, " << h.checksum << "\n";
    std::string origin = provenance_text(h.package_sha256, h.signing_key);
    if (!origin.empty()) std::cout << "    from " << origin << "\n";
    if (!h.backup.empty()) std::cout << "    backup: " << h.backup << "\n";
    if (!h.error.empty()) std::cout << "    error: " << h.error << "\n";
  }
  return kOk;
}

}  // namespace migpkg::cli
