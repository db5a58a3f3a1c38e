#include "runtime/history/state_report_json.hpp"

#include "compiler/planner/plan_json_reader.hpp"

namespace migpkg::runtime {
namespace {

using ojson = nlohmann::ordered_json;

// A migration's provenance in --json: the package's SHA-256 and signing key id, or nulls for
// a migration from sources (and for rows written before the bookkeeping recorded them).
void add_provenance(ojson& out, const Provenance& p) {
  out["packageSha256"] = p.package_sha256.empty() ? ojson(nullptr) : ojson(p.package_sha256);
  out["signingKey"] = p.signing_key.empty() ? ojson(nullptr) : ojson(p.signing_key);
}

}  // namespace

ojson status_json(const std::string& database, const std::string& engine,
                  const InstalledState& state) {
  ojson out;
  out["database"] = redact_password(database);
  out["engine"] = engine;
  auto plugins = ojson::array();
  for (const auto& p : state.plugins) {
    ojson j;
    j["pluginId"] = p.plugin_id;
    j["version"] = p.version;
    j["installedAt"] = p.installed_at;
    j["updatedAt"] = p.updated_at;
    j["conflicts"] = p.conflicts;
    auto migrations = ojson::array();
    for (const auto& a : state.applied) {
      if (a.plugin_id != p.plugin_id) continue;
      ojson m{{"id", a.migration_id},
              {"version", a.version},
              {"checksum", a.checksum},
              {"appliedAt", a.applied_at},
              {"appliedBy", a.applied_by}};
      add_provenance(m, a.provenance);
      migrations.push_back(std::move(m));
    }
    j["migrations"] = migrations;
    plugins.push_back(j);
  }
  out["plugins"] = plugins;
  auto partial = ojson::array();
  for (const auto& f : state.inflight) {
    plan::Migration m = migration_from_text(f.plan_json);
    const auto& steps = f.direction == "up" ? m.up : m.down;
    int done = state.steps_done(f.plugin_id, f.migration_id, f.direction);
    ojson j;
    j["pluginId"] = f.plugin_id;
    j["migrationId"] = f.migration_id;
    j["version"] = f.version;
    j["direction"] = f.direction;
    j["startedAt"] = f.started_at;
    j["stepsDone"] = done;
    j["stepsTotal"] = steps.size();
    j["lastStepDone"] = done > 0 ? ojson(steps[done - 1].id) : ojson(nullptr);
    j["nextStep"] = done < static_cast<int>(steps.size()) ? ojson(steps[done].id) : ojson(nullptr);
    partial.push_back(j);
  }
  out["partial"] = partial;
  return out;
}

ojson history_json(const std::vector<HistoryRow>& rows) {
  auto out = ojson::array();
  for (const auto& h : rows) {
    ojson j{{"id", h.id},
            {"pluginId", h.plugin_id},
            {"migrationId", h.migration_id},
            {"version", h.version},
            {"direction", h.direction},
            {"state", h.state},
            {"checksum", h.checksum},
            {"appliedBy", h.applied_by},
            {"startedAt", h.started_at},
            {"finishedAt", h.finished_at},
            {"durationMs", h.duration_ms},
            {"backup", h.backup.empty() ? ojson(nullptr) : ojson(h.backup)},
            {"error", h.error.empty() ? ojson(nullptr) : ojson(h.error)},
            {"skippedSteps", h.skipped_steps}};
    add_provenance(j, h.provenance);
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace migpkg::runtime
