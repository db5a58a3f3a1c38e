#include "runtime/installer/run_report_json.hpp"

#include <iterator>

#include "compiler/planner/plan_json_reader.hpp"

namespace migpkg::runtime {

const char* run_status_name(RunStatus status) {
  static const char* names[] = {"ok", "failed", "refused", "locked", "drift", "cancelled"};
  static_assert(std::size(names) == static_cast<std::size_t>(RunStatus::Cancelled) + 1);
  return names[static_cast<int>(status)];
}

int run_status_exit_code(const RunReport& report) {
  switch (report.status) {
    case RunStatus::Ok:
      return 0;
    case RunStatus::Locked:
      return 4;
    case RunStatus::Drift:
      return 5;
    case RunStatus::Cancelled:
      return 6;
    case RunStatus::Refused:
      return report.trust_failure ? 3 : 1;  // a backup that does not authenticate
    default:
      return 1;
  }
}

nlohmann::ordered_json run_report_json(const RunReport& report, const std::string& command,
                                       const std::string& database) {
  nlohmann::ordered_json out;
  out["command"] = command;
  out["database"] = redact_password(database);
  out["status"] = run_status_name(report.status);
  out["problems"] = report.problems;
  auto migrations = nlohmann::ordered_json::array();
  for (const auto& m : report.migrations) {
    nlohmann::ordered_json j;
    j["pluginId"] = m.plugin_id;
    j["id"] = m.migration_id;
    j["version"] = m.version;
    j["action"] = m.action;
    j["durationMs"] = m.duration_ms;
    if (!m.backup.empty()) j["backup"] = m.backup;
    j["skippedSteps"] = m.skipped_steps;
    if (!m.error.empty()) j["error"] = m.error;
    if (!m.undone_steps.empty()) j["undoneSteps"] = m.undone_steps;
    if (m.partial) j["partial"] = true;
    if (m.plan &&
        (m.action == "would-apply" || m.action == "would-resume" || m.action == "would-roll-back"))
      j["plan"] = migration_to_json(*m.plan);
    migrations.push_back(j);
  }
  out["migrations"] = migrations;
  if (!report.not_in_sources.empty()) {
    auto& unresolved = out["notInSources"] = nlohmann::ordered_json::array();
    for (const auto& u : report.not_in_sources)
      unresolved.push_back({{"pluginId", u.plugin_id},
                            {"id", u.migration_id},
                            {"version", u.version},
                            {"halfApplied", u.half_done}});
  }
  return out;
}

}  // namespace migpkg::runtime
