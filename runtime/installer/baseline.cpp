#include "runtime/installer/baseline.hpp"

#include <algorithm>
#include <set>

#include "compiler/dsl/diff_migration.hpp"
#include "compiler/dsl/dsl_printer.hpp"
#include "compiler/schema/schema_diff.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/check/schema_snapshot.hpp"
#include "runtime/data/database_schema.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/installer/preflight.hpp"
#include "runtime/installer/run_opening.hpp"

namespace migpkg::runtime {
namespace {

// The object a snapshot line is about: its first word and the quoted (possibly qualified)
// name after it, `table "users"` for every line of that table.
std::string owner_key(const std::string& line) {
  std::size_t i = line.find(' ');
  if (i == std::string::npos) return line;
  std::string key = line.substr(0, ++i);
  while (i < line.size() && line[i] == '"') {
    std::size_t end = i + 1;
    while (end < line.size() &&
           !(line[end] == '"' && (end + 1 >= line.size() || line[end + 1] != '"')))
      end += line[end] == '"' ? 2 : 1;
    key += line.substr(i, end + 1 - i);
    i = end + 1;
    if (i >= line.size() || line[i] != '.') break;
    key += '.';
    ++i;
  }
  return key;
}

// Grants and ownership are the database's administration, not the plugin's schema.
std::vector<std::string> schema_lines(Connection& connection) {
  std::vector<std::string> lines;
  for (std::string& line : inspect_schema(connection).objects)
    if (line.find(" privileges ") == std::string::npos) lines.push_back(std::move(line));
  return lines;
}

// "- " what the plugin's schema has and the database has not; "+ " what the database has on
// the plugin's objects that the plugin's schema has not. Other objects are the database's own.
std::vector<std::string> compare(const std::vector<std::string>& expected,
                                 const std::vector<std::string>& actual) {
  std::set<std::string> keys, have(actual.begin(), actual.end()),
      wanted(expected.begin(), expected.end());
  for (const std::string& line : expected) keys.insert(owner_key(line));
  std::vector<std::string> out;
  for (const std::string& line : expected)
    if (!have.count(line)) out.push_back("- " + line);
  for (const std::string& line : actual)
    if (!wanted.count(line) && keys.count(owner_key(line))) out.push_back("+ " + line);
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.substr(2) != b.substr(2) ? a.substr(2) < b.substr(2) : a < b;
  });
  return out;
}

void run_up_steps(Connection& scratch, const std::vector<const plan::Migration*>& migrations) {
  for (const plan::Migration* m : migrations)
    for (const plan::Step& step : m->up) {
      // Transforms and loads move rows; only SQL shapes the schema.
      if (step.kind != "sql") continue;
      for (const std::string& statement : step.statements) try {
          scratch.execute(statement);
        } catch (const std::exception& e) {
          throw std::runtime_error("migration " + m->id + " step " + step.id + ": " + e.what());
        }
    }
}

// The changes that would turn the database's tables into the plugin's, read alike from both.
std::string fix_migration(Connection& database, Connection& scratch, const BaselineRequest& request,
                          std::vector<std::string>& notes) {
  const Engine& engine = engine_of(scratch);
  std::vector<std::string> tables = engine.user_tables(scratch), present;
  for (const std::string& table : tables)
    if (engine.data_table(database, table)) present.push_back(table);
  std::vector<std::string> ignored;
  schema::SchemaModel want = data::read_database_schema(scratch, tables, ignored);
  schema::SchemaModel have = data::read_database_schema(database, present, notes);
  std::vector<ir::SchemaChange> changes = schema::diff_schemas(have, want);
  if (changes.empty()) return "";
  dsl::DiffMigrationSpec spec;
  spec.plugin_id = request.plugin_id;
  spec.id = "baseline-fix";
  spec.version = request.version;
  spec.name = "What the database lacks to be " + request.plugin_id + " at " + request.version;
  return dsl::print_dsl({dsl::diff_migration(changes, spec)});
}

}  // namespace

BaselineReport baseline(Connection& c, const DatabaseUrl& url, const BaselineRequest& request,
                        const RunContext& context) {
  BaselineReport report;
  auto refuse = [&](const std::string& problem) {
    report.status = RunStatus::Refused;
    report.problems.push_back(problem);
    return report;
  };
  const ir::Plugin* plugin = request.program->find_plugin(request.plugin_id);
  if (!plugin) return refuse("the sources hold no plugin " + request.plugin_id);
  const std::optional<SemVer> wanted = SemVer::parse(request.version);
  std::string versions;
  bool known = false;
  for (const ir::Migration& m : plugin->migrations) {
    known = known || (wanted && m.version == *wanted);
    versions += (versions.empty() ? "" : ", ") + m.version_text;
  }
  if (!known)
    return refuse("plugin " + request.plugin_id + " has no migration at version " +
                  request.version + " (its versions: " + versions + ")");
  std::vector<const plan::Migration*> chosen;
  for (const plan::Migration& m : request.plan.migrations) {
    std::optional<SemVer> version = SemVer::parse(m.version);
    if (m.plugin_id == request.plugin_id && version && *version <= *wanted) chosen.push_back(&m);
  }
  for (const plan::Migration* m : chosen) report.migrations.push_back(m->id);

  auto installed_problem = [&](Bookkeeping& bk) -> std::string {
    if (!bk.tables_exist()) return "";
    bk.check_version();
    for (const InstalledPlugin& p : bk.plugins())
      if (p.plugin_id == request.plugin_id)
        return "plugin " + request.plugin_id + " is already installed at " + p.version +
               ": baseline records a plugin that is not installed (see migpkg status)";
    if (!bk.applied(request.plugin_id).empty())
      return "plugin " + request.plugin_id + " has applied migrations recorded";
    return "";
  };
  {
    Bookkeeping bk(c);
    if (std::string problem = installed_problem(bk); !problem.empty()) return refuse(problem);
  }

  // The schema the plugin makes at that version, built where nothing else is.
  TemporaryDatabase scratch(request.database_url, "migpkg_baseline");
  std::unique_ptr<Connection> built = open_url(scratch.url());
  try {
    run_up_steps(*built, chosen);
  } catch (const std::exception& e) {
    report.status = RunStatus::Failed;
    report.problems.push_back("could not build " + request.plugin_id + " at " + request.version +
                              " on a scratch database to compare with: " + e.what());
    return report;
  }
  report.difference = compare(schema_lines(*built), schema_lines(c));
  if (!report.difference.empty()) {
    try {
      report.fix = fix_migration(c, *built, request, report.notes);
    } catch (const std::exception& e) {
      report.notes.push_back(std::string("no migration to show: ") + e.what());
    }
    return refuse("the database does not have the schema of " + request.plugin_id + " at " +
                  request.version + " (" + std::to_string(report.difference.size()) +
                  " difference(s) below); nothing was recorded");
  }

  Bookkeeping bk(c);
  std::unique_ptr<RunLock> lock;
  RunReport run;
  std::optional<RunStart> start = lock_and_audit_run(c, url, bk, "baseline", context, run, lock);
  if (!start) {
    report.status = run.status;
    report.problems = run.problems;
    return report;
  }
  // Another run may have installed it since the check above, before the lock was had.
  if (std::string problem = installed_problem(bk); !problem.empty()) {
    bk.audit_finish(start->audit_id, "refused", problem);
    return refuse(problem);
  }
  std::vector<std::string> conflicts;
  for (const ir::Migration& m : plugin->migrations)
    if (wanted && m.version <= *wanted)
      for (const ir::LocatedText& conflict : m.conflicts)
        if (std::find(conflicts.begin(), conflicts.end(), conflict.text) == conflicts.end())
          conflicts.push_back(conflict.text);
  try {
    c.begin();
    for (const plan::Migration* m : chosen) {
      auto provenance = context.provenance.find({m->plugin_id, m->id});
      bk.record_baseline(
          *m, context.actor,
          provenance == context.provenance.end() ? Provenance{} : provenance->second);
    }
    bk.refresh_plugin(request.plugin_id, conflicts, wanted->to_string());
    c.commit();
  } catch (const std::exception& e) {
    if (c.in_transaction()) c.rollback();
    bk.forget_written_rows();
    report.status = RunStatus::Failed;
    report.problems.push_back(std::string("recording the baseline failed: ") + e.what());
    bk.audit_finish(start->audit_id, "failed", report.problems.back());
    return report;
  }
  bk.audit_finish(start->audit_id, "ok",
                  "baseline: " + request.plugin_id + " recorded as installed at " +
                      request.version + " (" + std::to_string(chosen.size()) +
                      " migration(s), none run)");
  return report;
}

}  // namespace migpkg::runtime
