#include <sys/stat.h>

#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/program_inputs.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/sources.hpp"
#include "runtime/check/check_runner.hpp"
#include "runtime/check/database_copy.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/installer/installer.hpp"

namespace migpkg::cli {
namespace {

// The scratch database `check` runs on: never the database a URL names, so checking cannot
// harm real data. A sqlite file must not exist yet and is removed afterwards.
struct Scratch {
  std::unique_ptr<runtime::TemporaryDatabase> server;
  std::unique_ptr<runtime::DatabaseCopy> copy;  // --against
  std::string sqlite_file;
  std::unique_ptr<runtime::Connection> owned;
  runtime::Connection* connection = nullptr;
  std::string engine;
  ~Scratch() {
    owned.reset();
    if (!sqlite_file.empty()) std::remove(sqlite_file.c_str());
  }
};

runtime::DatabaseUrl parse_url(const std::string& url_text) {
  try {
    return runtime::DatabaseUrl::parse(url_text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

void open_scratch(const std::string& url_text, Scratch& scratch) {
  runtime::DatabaseUrl url = parse_url(url_text);
  scratch.engine = ir::engine_name(url.engine);
  if (url.path.empty()) {  // a server: a scratch database there
    scratch.server = std::make_unique<runtime::TemporaryDatabase>(url_text, "migpkg_check");
    scratch.owned = runtime::open_url(scratch.server->url());
    scratch.connection = scratch.owned.get();
    return;
  }
  if (url.path != ":memory:") {
    struct stat info {};
    if (stat(url.path.c_str(), &info) == 0)
      throw UsageError("check runs on a scratch database, but " + url.path +
                       " exists; name a new file or use sqlite::memory:");
    scratch.sqlite_file = url.path;
  }
  scratch.owned = runtime::open_connection(url);
  scratch.connection = scratch.owned.get();
}

// --against: a copy of the database, never the database itself.
void open_copy(const std::string& url_text, Scratch& scratch) {
  runtime::DatabaseUrl url = parse_url(url_text);
  if (!url.path.empty()) {  // a file: it must be there
    struct stat info {};
    if (url.path == ":memory:" || stat(url.path.c_str(), &info) != 0)
      throw UsageError("check --against needs an existing database; " + url.path +
                       " does not exist");
  }
  scratch.engine = ir::engine_name(url.engine);
  scratch.copy = std::make_unique<runtime::DatabaseCopy>(url_text);
  scratch.connection = &scratch.copy->connection();
}

std::int64_t seed_rows(const Arguments& args) {
  auto text = args.value("--seed");
  if (!text) return 0;
  std::size_t used = 0;
  long long rows = -1;
  try {
    rows = std::stoll(*text, &used);
  } catch (const std::exception&) {
  }
  if (used != text->size() || rows < 1 || rows > 1000000)
    throw UsageError("--seed takes a number of rows per table from 1 to 1000000, not \"" + *text +
                     "\"");
  return rows;
}

nlohmann::ordered_json result_json(const runtime::CheckResult& result, const std::string& url,
                                   const std::string& dialect, const Diagnostics& diagnostics,
                                   std::int64_t seed, bool against) {
  nlohmann::ordered_json out;
  out["ok"] = result.ok && !diagnostics.has_errors();
  out["database"] = runtime::redact_password(url);
  out["dialect"] = dialect;
  if (seed > 0) out["seed"] = seed;
  if (against) out["against"] = true;  // "database" was copied, not used
  auto migrations = nlohmann::ordered_json::array();
  for (const auto& m : result.migrations) {
    nlohmann::ordered_json j;
    j["pluginId"] = m.plugin_id;
    j["id"] = m.id;
    j["version"] = m.version;
    j["up"] = m.up;
    j["down"] = m.down;
    j["warnings"] = m.warnings;
    if (!m.error.empty()) j["error"] = m.error;
    j["difference"] = m.difference;
    j["notes"] = m.notes;
    if (seed > 0) j["seeded"] = m.seeded;
    if (seed > 0 || against) {
      j["dataProblems"] = m.data_problems;
      nlohmann::ordered_json up, down;
      if (m.up_rows >= 0) up = {{"rowsTouched", m.up_rows}, {"milliseconds", m.up_ms}};
      if (m.down_rows >= 0) down = {{"rowsTouched", m.down_rows}, {"milliseconds", m.down_ms}};
      j["upData"] = up;
      j["downData"] = down;
    }
    migrations.push_back(j);
  }
  out["migrations"] = migrations;
  if (seed > 0) out["seededBeforeDowns"] = result.seeded_before_downs;
  out["diagnostics"] = diagnostics_json(diagnostics);
  return out;
}

std::string rows_and_time(std::int64_t rows, double milliseconds) {
  std::ostringstream out;
  out << rows << " row" << (rows == 1 ? "" : "s") << " touched in " << std::fixed
      << std::setprecision(1) << milliseconds << " ms";
  return out.str();
}

void print_result(const runtime::CheckResult& result) {
  if (!result.seeded_before_downs.empty()) {
    std::cout << "  seeded after the last up, before the downs:";
    for (const auto& [table, rows] : result.seeded_before_downs)
      std::cout << " " << table << " " << rows;
    std::cout << "\n";
  }
  for (const auto& m : result.migrations) {
    std::string name = m.plugin_id + "/" + m.id + " " + m.version;
    std::cout << "  " << name << ": up " << m.up << ", down " << m.down << "\n";
    if (!m.seeded.empty()) {
      std::cout << "    seeded before the up:";
      for (const auto& [table, rows] : m.seeded) std::cout << " " << table << " " << rows;
      std::cout << "\n";
    }
    if (m.up_rows >= 0) std::cout << "    up: " << rows_and_time(m.up_rows, m.up_ms) << "\n";
    if (m.down_rows >= 0)
      std::cout << "    down: " << rows_and_time(m.down_rows, m.down_ms) << "\n";
    for (const auto& warning : m.warnings) std::cout << "    warning: " << warning << "\n";
    for (const auto& note : m.notes) std::cout << "    note: " << note << "\n";
    if (!m.error.empty()) std::cout << "    error: " << m.error << "\n";
    for (const auto& problem : m.data_problems) std::cout << "      " << problem << "\n";
    if (!m.difference.empty()) {
      std::cout << "    schema difference (- before up, + after down):\n";
      for (const auto& line : m.difference) std::cout << "      " << line << "\n";
    }
  }
}

// The migrations the copy has not applied, as the installer's dry run finds them (refusing,
// like install, on drift or a conflict).
plan::Plan pending_plan(runtime::Connection& copy, const std::string& copy_url,
                        const ir::Program& program, plan::Plan plan, Diagnostics& diagnostics) {
  runtime::InstallRequest request;
  request.program = &program;
  request.plan = std::move(plan);
  request.dry_run = true;
  runtime::RunReport report =
      runtime::install(copy, runtime::DatabaseUrl::parse(copy_url), std::move(request), {});
  for (const auto& problem : report.problems) diagnostics.error("against-refused", {}, problem, "");
  return std::move(report.plan);
}

}  // namespace

int run_check(const Arguments& args) {
  auto against = args.value("--against");
  if (against && args.value("--db"))
    throw UsageError("--against checks on a copy of that database; leave out --db");
  std::string url = against ? *against : args.value("--db").value_or("sqlite::memory:");
  bool json = args.flag("--json");
  std::int64_t seed = seed_rows(args);
  Diagnostics diagnostics;
  ProgramInputs inputs = verify_inputs(args, diagnostics);  // packages: before any database
  Scratch scratch;
  if (against)
    open_copy(*against, scratch);
  else
    open_scratch(url, scratch);
  runtime::Connection& connection = *scratch.connection;
  const Dialect& dialect = *find_dialect(scratch.engine);
  if (!inputs.packages.empty()) check_engine_support(inputs, scratch.engine);
  std::set<std::string> installed;
  if (against) installed = runtime::applied_migration_ids(connection);
  ir::Program program = assemble_program(inputs, diagnostics, against ? &installed : nullptr);
  plan::Plan plan;
  if (!diagnostics.has_errors()) plan = build_plan(program, dialect, diagnostics);
  if (against && !diagnostics.has_errors())
    plan = pending_plan(connection, scratch.copy->url(), program, std::move(plan), diagnostics);
  runtime::CheckResult result;
  if (!diagnostics.has_errors()) {
    if (!json) {
      std::string copy = against ? "a copy (" + scratch.copy->method() + ") of " : "";
      std::cout << "check on " << copy << runtime::redact_password(url) << " (" << dialect.name()
                << "): " << plan.migrations.size() << (against ? " pending" : "") << " migration"
                << (plan.migrations.size() == 1 ? "" : "s");
      if (seed > 0) std::cout << ", " << seed << " rows per table seeded before each up";
      std::cout << "\n";
    }
    runtime::CheckProgress progress;
    if (!json && stderr_is_terminal())
      progress = [](const std::string& line) {
        std::cerr << "  ... " << line << "\r" << std::flush;
      };
    runtime::CheckOptions options;
    options.seed_rows = seed;
    options.check_data = against.has_value();
    options.program = &program;
    result = runtime::run_check(connection, plan, options, progress);
    if (progress) std::cerr << std::string(70, ' ') << "\r";
  }
  if (json) {
    std::cout
        << result_json(result, url, dialect.name(), diagnostics, seed, against.has_value()).dump(2)
        << "\n";
  } else {
    print_diagnostics(diagnostics);
    if (!diagnostics.has_errors()) {
      print_result(result);
      std::string what = seed > 0 || against
                             ? "every up kept its rows and every down restored "
                               "the schema and the rows"
                             : "every up applied and every down restored the schema";
      std::cout << (result.ok ? "ok: " + what + "\n" : "FAILED\n");
    }
  }
  return result.ok && !diagnostics.has_errors() ? kOk : kFailed;
}

}  // namespace migpkg::cli
