#include "cli/report_json.hpp"

#include <regex>

#include "cli/backup_settings.hpp"
#include "cli/config_file.hpp"
#include "cli/package_report.hpp"
#include "cli/runtime_support.hpp"

namespace migpkg::cli {
namespace {

using ojson = nlohmann::ordered_json;

// --since: a date or a UTC time, ISO-8601 as migpkg writes them, possibly cut short
// ("2026-12-06", "2026-12-06T14:30", "2026-12-06T14:30:00.000Z"). Returned without the "Z",
// so that as text it sorts before every time it covers.
std::string since_argument(const Arguments& args) {
  auto since = args.value("--since");
  if (!since) return "";
  static const std::regex form(R"(\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,3})?)?)?)?Z?)");
  if (!std::regex_match(*since, form))
    throw UsageError(
        "--since takes a UTC date or time such as 2026-12-06 or 2026-12-06T14:30Z, "
        "not '" +
        *since + "'");
  std::string out = *since;
  if (!out.empty() && out.back() == 'Z') out.pop_back();
  return out;
}

// Whether a run concerned `plugin`: its command line names it (`rollback P`, `--plugin P`,
// `--to P@1.2.0`), or it wrote history rows of it. Runs hold the run lock one at a time, so the
// history rows a run wrote are those started between its own start and the next run's.
std::vector<runtime::AuditRow> runs_of_plugin(const std::vector<runtime::AuditRow>& newest_first,
                                              const std::vector<runtime::HistoryRow>& history,
                                              const std::string& plugin) {
  auto names = [&](const std::string& arguments) {
    std::size_t start = 0;
    while (start <= arguments.size()) {
      std::size_t end = arguments.find(' ', start);
      if (end == std::string::npos) end = arguments.size();
      std::string word = arguments.substr(start, end - start);
      if (word == plugin || word.rfind(plugin + "@", 0) == 0 || word == "--plugin=" + plugin ||
          word.rfind("--to=" + plugin + "@", 0) == 0)
        return true;
      start = end + 1;
    }
    return false;
  };
  std::vector<runtime::AuditRow> out;
  std::string next_start;  // the start of the run after this one ("": none, it is the newest)
  for (const auto& run : newest_first) {
    bool wrote = false;
    for (const auto& h : history)
      if (h.started_at >= run.at && (next_start.empty() || h.started_at < next_start)) {
        wrote = true;
        break;
      }
    if (wrote || names(run.arguments)) out.push_back(run);
    next_start = run.at;
  }
  return out;
}

}  // namespace

ojson audit_json(const std::vector<runtime::AuditRow>& rows) {
  auto out = ojson::array();
  for (const auto& a : rows)
    out.push_back({{"id", a.id},
                   {"at", a.at},
                   {"actor", a.actor},
                   {"command", a.command},
                   {"arguments", a.arguments},
                   {"outcome", a.outcome},
                   {"detail", a.detail}});
  return out;
}

ojson status_report(const Arguments& args, runtime::Connection* reader) {
  const std::string database = database_argument(args);
  const runtime::DatabaseUrl url = parse_database(database);
  auto connection = reader ? nullptr : open_for_reading(url);
  runtime::Bookkeeping bk(reader ? *reader : *connection);
  runtime::InstalledState state;
  // status prints no stored plan: reading them would be most of its bytes on a long history.
  if (bk.tables_exist()) state = runtime::read_installed_state(bk, false);
  return status_json(database, ir::engine_name(url.engine), state);
}

ojson history_report(const Arguments& args, runtime::Connection* reader) {
  const runtime::DatabaseUrl url = parse_database(database_argument(args));
  auto connection = reader ? nullptr : open_for_reading(url);
  runtime::Bookkeeping bk(reader ? *reader : *connection);
  std::vector<runtime::HistoryRow> rows;
  if (bk.tables_exist()) {
    bk.check_version();
    rows = bk.history(args.value("--plugin").value_or(""));
  }
  return history_json(rows);
}

AuditSelection select_audit_rows(const Arguments& args, runtime::Connection* reader) {
  const runtime::DatabaseUrl url = parse_database(database_argument(args));
  const std::string since = since_argument(args);
  const std::string plugin = args.value("--plugin").value_or("");
  long long limit = -1;
  if (auto text = args.value("--limit")) {
    if (!std::regex_match(*text, std::regex(R"(\d{1,9})")))
      throw UsageError("--limit takes a number of runs, not '" + *text + "'");
    limit = std::stoll(*text);
  }
  auto connection = reader ? nullptr : open_for_reading(url);
  runtime::Bookkeeping bk(reader ? *reader : *connection);
  AuditSelection out;
  out.has_tables = bk.tables_exist();
  if (out.has_tables) {
    bk.check_version();
    // --plugin looks at every run since --since: which history rows a run wrote is decided by
    // the start of the run after it.
    out.rows = bk.audit_log(since);
    if (!plugin.empty()) out.rows = runs_of_plugin(out.rows, bk.history(plugin), plugin);
  }
  if (limit >= 0 && out.rows.size() > static_cast<std::size_t>(limit)) out.rows.resize(limit);
  return out;
}

ojson audit_report(const Arguments& args, runtime::Connection* reader) {
  return audit_json(select_audit_rows(args, reader).rows);
}

ojson backup_json(const runtime::DatabaseBackup& entry, std::time_t now) {
  const runtime::ListedBackup& b = entry.backup;
  ojson out;
  out["path"] = b.path;
  out["files"] = b.files;
  out["size"] = b.size;
  out["created"] = b.created;
  out["ageSeconds"] = static_cast<std::int64_t>(now - b.created_time);
  out["engine"] = b.engine;
  out["label"] = b.label;
  out["rows"] = b.rows;
  out["compressed"] = b.compressed;
  out["encrypted"] = b.encrypted;
  ojson before = ojson::array();
  for (const auto& m : entry.before)
    before.push_back(
        {{"pluginId", m.plugin_id}, {"migrationId", m.migration_id}, {"direction", m.direction}});
  out["before"] = before;
  return out;
}

ojson backups_report(const Arguments& args, runtime::Connection* reader) {
  Config config = load_config(args);
  const std::string database = database_argument(args);
  const runtime::DatabaseUrl url = parse_database(database);
  const std::string directory = backup_directory(args, url, &config);
  // A SQLite file that is not there is not created: its backups are found by their manifests.
  std::unique_ptr<runtime::Connection> connection;
  if (!reader && !database_missing(url)) connection = open_for_reading(url);
  auto backups = runtime::database_backups(reader ? reader : connection.get(), url, directory);
  const std::time_t now = std::time(nullptr);
  ojson out;
  out["database"] = runtime::redact_password(database);
  out["engine"] = ir::engine_name(url.engine);
  out["directory"] = directory;
  out["backups"] = ojson::array();
  for (const auto& b : backups) out["backups"].push_back(backup_json(b, now));
  return out;
}

}  // namespace migpkg::cli
