// status and history: read-only reports of what migpkg recorded in the database.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/report_json.hpp"
#include "cli/runtime_support.hpp"
#include "compiler/planner/plan_json_reader.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/preflight.hpp"

namespace migpkg::cli {
namespace {

using ojson = nlohmann::ordered_json;

struct Opened {
  std::string database;
  runtime::DatabaseUrl url;
  std::unique_ptr<runtime::Connection> connection;
};

Opened open_database(const Arguments& args) {
  Opened o;
  o.database = database_argument(args);
  o.url = parse_database(o.database);
  o.connection = open_for_reading(o.url);
  return o;
}

// The text line saying where a migration came from ("" for sources).
std::string provenance_text(const runtime::Provenance& p) {
  if (p.empty()) return "";
  return "package sha256:" + (p.package_sha256.empty() ? "?" : p.package_sha256) +
         ", signed by key " + (p.signing_key.empty() ? "?" : p.signing_key);
}

}  // namespace

int run_status(const Arguments& args) {
  Opened o = open_database(args);
  runtime::Bookkeeping bk(*o.connection);
  runtime::InstalledState state;
  if (bk.tables_exist()) state = runtime::read_installed_state(bk, false);  // prints no plans
  ojson report = status_json(o.database, ir::engine_name(o.url.engine), state);
  if (args.flag("--json")) {
    std::cout << report.dump(2) << "\n";
    return kOk;
  }
  std::cout << "database " << report["database"].get<std::string>() << " ("
            << ir::engine_name(o.url.engine) << ")\n";
  if (state.plugins.empty()) std::cout << "no plugins installed\n";
  for (const auto& p : report["plugins"]) {
    std::cout << "  " << p["pluginId"].get<std::string>() << " " << p["version"].get<std::string>()
              << "  (" << p["migrations"].size() << " migration"
              << (p["migrations"].size() == 1 ? "" : "s") << ", updated "
              << p["updatedAt"].get<std::string>() << ")\n";
    // Where its migrations came from, one line per package (and one for sources), in the order
    // they were first applied; nothing when all came from sources.
    std::vector<std::pair<std::string, int>> origins;
    for (const auto& a : state.applied) {
      if (a.plugin_id != p["pluginId"].get<std::string>()) continue;
      std::string origin = a.provenance.empty() ? "sources" : provenance_text(a.provenance);
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
  for (const auto& f : report["partial"])
    std::cout << "PARTIAL " << f["pluginId"].get<std::string>() << "/"
              << f["migrationId"].get<std::string>() << " (" << f["direction"].get<std::string>()
              << "): " << f["stepsDone"] << " of " << f["stepsTotal"] << " steps done"
              << (f["nextStep"].is_null() ? "" : ", next step " + f["nextStep"].get<std::string>())
              << (f["direction"] == "up" ? " — run install to resume it or rollback to undo it\n"
                                         : " — run rollback again to finish undoing it\n");
  return kOk;
}

int run_history(const Arguments& args) {
  Opened o = open_database(args);
  runtime::Bookkeeping bk(*o.connection);
  std::string plugin = args.value("--plugin").value_or("");
  std::vector<runtime::HistoryRow> rows;
  if (bk.tables_exist()) {
    bk.check_version();
    rows = bk.history(plugin);
  }
  if (args.flag("--json")) {
    std::cout << history_json(rows).dump(2) << "\n";
    return kOk;
  }
  if (rows.empty()) std::cout << "no history\n";
  for (const auto& h : rows) {
    std::cout << h.started_at << "  " << h.state << "  " << h.plugin_id << "/" << h.migration_id
              << " " << h.version << " (" << h.direction << ") by " << h.applied_by << ", "
              << h.duration_ms << " ms, " << h.checksum << "\n";
    if (!h.provenance.empty()) std::cout << "    from " << provenance_text(h.provenance) << "\n";
    if (!h.backup.empty()) std::cout << "    backup: " << h.backup << "\n";
    if (!h.error.empty()) std::cout << "    error: " << h.error << "\n";
  }
  return kOk;
}

}  // namespace migpkg::cli
