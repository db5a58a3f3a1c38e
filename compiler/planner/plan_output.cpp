#include "compiler/planner/plan_output.hpp"

#include "compiler/dialects/dialect.hpp"

#include <algorithm>
#include <sstream>

#include "compiler/diagnostics/render.hpp"
#include "compiler/planner/plan_json_reader.hpp"

namespace migpkg {
namespace {

using ojson = nlohmann::ordered_json;

ojson checks_json(const std::vector<plan::Check>& checks) {
  ojson out = ojson::array();
  for (const auto& c : checks)
    out.push_back({{"origin", c.origin},
                   {"sql", c.sql},
                   {"message", c.message},
                   {"severity", c.is_error ? "error" : "warning"}});
  return out;
}

ojson step_json(const plan::Step& s) {
  ojson out;
  out["id"] = s.id;
  out["name"] = s.name;
  out["kind"] = s.kind;
  out["transactional"] = s.transactional;
  out["skipOnError"] = s.skip_on_error;
  out["timeout"] = s.timeout_seconds ? ojson(*s.timeout_seconds) : ojson(nullptr);
  out["statements"] = s.statements;
  out["preChecks"] = checks_json(s.pre_checks);
  out["postChecks"] = checks_json(s.post_checks);
  out["reverse"] = s.reverse ? ojson(*s.reverse) : ojson(nullptr);
  if (s.transform)
    out["transform"] = {{"sourceTable", s.transform->source_table},
                        {"targetTable", s.transform->target_table},
                        {"filter", s.transform->filter},
                        {"batchSize", s.transform->batch_size},
                        {"batchedInsert", s.transform->batched_insert},
                        {"countSource", s.transform->count_source}};
  out["source"] = location_to_json(s.source);
  return out;
}

// A comment may not hold a newline, or the rest would run as SQL.
std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

void write_checks(std::ostringstream& out, const std::vector<plan::Check>& checks,
                  const char* when) {
  for (const auto& c : checks)
    out << "-- " << when << " check (" << c.origin << ", " << (c.is_error ? "error" : "warning")
        << "): " << one_line(c.sql) << "\n";
}

void write_step(std::ostringstream& out, const plan::Step& s, const char* direction) {
  out << "-- step " << s.id << " (" << direction << (s.kind == "transform" ? ", transform" : "")
      << "): " << one_line(s.name) << "\n";
  if (s.skip_on_error) out << "-- skipOnError: a failure of this step is recorded and skipped\n";
  write_checks(out, s.pre_checks, "pre");
  for (const auto& statement : s.statements) {
    // A statement whose last line ends in a -- comment would swallow the ';'.
    std::size_t last_line = statement.rfind('\n');
    bool comment_at_end =
        statement.find("--", last_line == std::string::npos ? 0 : last_line) != std::string::npos;
    out << statement << (comment_at_end ? "\n;\n" : ";\n");
  }
  write_checks(out, s.post_checks, "post");
}

}  // namespace

ojson migration_to_json(const plan::Migration& m) {
  ojson j;
  j["pluginId"] = m.plugin_id;
  j["id"] = m.id;
  j["version"] = m.version;
  j["name"] = m.name;
  j["checksum"] = m.checksum;
  j["riskLevel"] = m.risk_level;
  j["requiresBackup"] = m.requires_backup;
  j["dependencies"] = m.dependencies;
  j["reversible"] = m.reversible;
  j["source"] = location_to_json(m.source);
  ojson up = ojson::array(), down = ojson::array();
  for (const auto& s : m.up) up.push_back(step_json(s));
  for (const auto& s : m.down) down.push_back(step_json(s));
  j["up"] = up;
  j["down"] = down;
  return j;
}

ojson plan_to_json(const plan::Plan& plan) {
  ojson out;
  out["format"] = kPlanFormat;
  out["dialect"] = plan.dialect;
  out["migpkgVersion"] = plan.migpkg_version;
  ojson migrations = ojson::array();
  for (const auto& m : plan.migrations) migrations.push_back(migration_to_json(m));
  out["migrations"] = migrations;
  return out;
}

std::string plan_to_sql(const plan::Plan& plan, PlanDirection direction) {
  std::ostringstream out;
  const char* dir = direction == PlanDirection::Up ? "up" : "down";
  out << "-- migpkg " << plan.migpkg_version << " plan for " << plan.dialect << " (" << dir
      << "): " << plan.migrations.size() << " migration" << (plan.migrations.size() == 1 ? "" : "s")
      << "\n";
  const Dialect* dialect = find_dialect(plan.dialect);
  std::string begin = dialect ? dialect->spec().begin_transaction : "BEGIN";
  std::vector<const plan::Migration*> order;
  for (const auto& m : plan.migrations) order.push_back(&m);
  if (direction == PlanDirection::Down) std::reverse(order.begin(), order.end());
  for (const plan::Migration* m : order) {
    const auto& steps = direction == PlanDirection::Up ? m->up : m->down;
    out << "\n-- migration " << m->plugin_id << "/" << m->id << " " << m->version << ": "
        << one_line(m->name) << "\n-- checksum " << m->checksum << "\n";
    if (steps.empty()) {
      out << "-- (no " << dir << " steps)\n";
      continue;
    }
    bool open = false;
    for (const auto& s : steps) {
      if (s.transactional && !open) {
        if (!begin.empty()) out << begin << ";\n";
        open = true;
      } else if (!s.transactional && open) {
        out << "COMMIT;\n";
        open = false;
      }
      if (!s.transactional) out << "-- non-transactional: runs outside a transaction\n";
      write_step(out, s, dir);
    }
    if (open) out << "COMMIT;\n";
  }
  return out.str();
}

}  // namespace migpkg
