// audit: the audit log (migpkg_audit), newest first. Read-only: no lock, nothing created.
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/report_json.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::cli {
int run_audit(const Arguments& args) {
  const std::string database = database_argument(args);
  const std::string since = args.value("--since").value_or("");
  const std::string plugin = args.value("--plugin").value_or("");
  AuditSelection selection = select_audit_rows(args);
  const std::vector<runtime::AuditRow>& rows = selection.rows;
  const bool has_tables = selection.has_tables;

  if (args.flag("--json")) {
    std::cout << audit_json(rows).dump(2) << "\n";
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
