#include "runtime/installer/repair_report_json.hpp"

#include "runtime/installer/run_report_json.hpp"

namespace migpkg::runtime {

nlohmann::ordered_json repair_report_json(const RepairReport& report, RepairRequest::Action action,
                                          const std::string& database) {
  nlohmann::ordered_json out;
  out["command"] = "repair";
  out["action"] = repair_action_name(action);
  out["database"] = redact_password(database);
  out["status"] = run_status_name(report.status);
  out["problems"] = report.problems;
  auto& migrations = out["migrations"] = nlohmann::ordered_json::array();
  for (const auto& r : report.migrations) {
    nlohmann::ordered_json m;
    m["pluginId"] = r.plugin_id;
    m["migrationId"] = r.migration_id;
    m["version"] = r.version;
    m["action"] = r.action;
    m["direction"] = r.direction;
    if (action == RepairRequest::Action::UpdateChecksums) {
      m["oldChecksum"] = r.old_checksum;
      m["newChecksum"] = r.new_checksum;
      m["differences"] = r.differences;
    } else {
      m["stepsCleared"] = r.cleared_steps;
    }
    migrations.push_back(std::move(m));
  }
  return out;
}

}  // namespace migpkg::runtime
