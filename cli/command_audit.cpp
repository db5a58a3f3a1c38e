// audit: the audit log (migpkg_audit), newest first. Read-only: no lock, nothing created.
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/history/bookkeeping.hpp"

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

int run_audit(const Arguments& args) {
  const std::string database = database_argument(args);
  const runtime::DatabaseUrl url = parse_database(database);
  const std::string since = since_argument(args);
  const std::string plugin = args.value("--plugin").value_or("");
  long long limit = -1;
  if (auto text = args.value("--limit")) {
    if (!std::regex_match(*text, std::regex(R"(\d{1,9})")))
      throw UsageError("--limit takes a number of runs, not '" + *text + "'");
    limit = std::stoll(*text);
  }
  auto connection = open_for_reading(url);
  runtime::Bookkeeping bk(*connection);
  std::vector<runtime::AuditRow> rows;
  const bool has_tables = bk.tables_exist();
  if (has_tables) {
    bk.check_version();
    // --plugin looks at every run since --since: which history rows a run wrote is decided by
    // the start of the run after it.
    rows = bk.audit_log(since);
    if (!plugin.empty()) rows = runs_of_plugin(rows, bk.history(plugin), plugin);
  }
  if (limit >= 0 && rows.size() > static_cast<std::size_t>(limit)) rows.resize(limit);

  if (args.flag("--json")) {
    auto out = ojson::array();
    for (const auto& a : rows)
      out.push_back({{"id", a.id},
                     {"at", a.at},
                     {"actor", a.actor},
                     {"command", a.command},
                     {"arguments", a.arguments},
                     {"outcome", a.outcome},
                     {"detail", a.detail}});
    std::cout << out.dump(2) << "\n";
    return kOk;
  }
  if (!has_tables) {
    std::cout << "no audit log: " << runtime::redact_password(database)
              << " has no migpkg tables (nothing was ever installed there)\n";
    return kOk;
  }
  if (rows.empty())
    std::cout << "no runs recorded" << (since.empty() && plugin.empty() ? "" : " that match")
              << "\n";
  // One line per run, then its command line and its detail (each line of it) indented below.
  std::size_t actor_width = 5, command_width = 7;
  for (const auto& a : rows) {
    actor_width = std::max(actor_width, a.actor.size());
    command_width = std::max(command_width, a.command.size());
  }
  auto padded = [](const std::string& text, std::size_t width) {
    return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
  };
  if (!rows.empty())
    std::cout << padded("ID", 6) << padded("AT", 26) << padded("ACTOR", actor_width + 2)
              << padded("COMMAND", command_width + 2) << "OUTCOME\n";
  for (const auto& a : rows) {
    std::cout << padded(std::to_string(a.id), 6) << padded(a.at, 26)
              << padded(a.actor, actor_width + 2) << padded(a.command, command_width + 2)
              << a.outcome << "\n";
    std::cout << "      $ migpkg " << a.arguments << "\n";
    std::size_t start = 0;
    while (start < a.detail.size()) {
      std::size_t end = a.detail.find('\n', start);
      if (end == std::string::npos) end = a.detail.size();
      std::cout << "      " << a.detail.substr(start, end - start) << "\n";
      start = end + 1;
    }
  }
  return kOk;
}

}  // namespace migpkg::cli
