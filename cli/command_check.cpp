#include <sys/stat.h>

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/program_inputs.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/sources.hpp"
#include "runtime/check/check_runner.hpp"

namespace migpkg::cli {
namespace {

// The scratch database `check` runs on: never the database a URL names, so checking cannot
// harm real data. A sqlite file must not exist yet and is removed afterwards.
struct Scratch {
  std::unique_ptr<runtime::ScratchDatabase> postgres;
  std::string sqlite_file;
  std::unique_ptr<runtime::Connection> connection;
  std::string engine;
  ~Scratch() {
    connection.reset();
    if (!sqlite_file.empty()) std::remove(sqlite_file.c_str());
  }
};

void open_scratch(const std::string& url_text, Scratch& scratch) {
  runtime::DatabaseUrl url;
  try {
    url = runtime::DatabaseUrl::parse(url_text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  scratch.engine = url.engine;
  if (url.engine == "postgresql") {
    scratch.postgres = std::make_unique<runtime::ScratchDatabase>(url_text, "migpkg_check");
    scratch.connection = runtime::open_postgresql(scratch.postgres->url());
    return;
  }
  if (url.path != ":memory:") {
    struct stat info {};
    if (stat(url.path.c_str(), &info) == 0)
      throw UsageError("check runs on a scratch database, but " + url.path +
                       " exists; name a new file or use sqlite::memory:");
    scratch.sqlite_file = url.path;
  }
  scratch.connection = runtime::open_sqlite(url.path);
}

nlohmann::ordered_json result_json(const runtime::CheckResult& result, const std::string& url,
                                   const std::string& dialect, const Diagnostics& diagnostics) {
  nlohmann::ordered_json out;
  out["ok"] = result.ok && !diagnostics.has_errors();
  out["database"] = runtime::redact_password(url);
  out["dialect"] = dialect;
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
    migrations.push_back(j);
  }
  out["migrations"] = migrations;
  out["diagnostics"] = diagnostics_json(diagnostics);
  return out;
}

void print_result(const runtime::CheckResult& result) {
  for (const auto& m : result.migrations) {
    std::string name = m.plugin_id + "/" + m.id + " " + m.version;
    std::cout << "  " << name << ": up " << m.up << ", down " << m.down << "\n";
    for (const auto& warning : m.warnings) std::cout << "    warning: " << warning << "\n";
    if (!m.error.empty()) std::cout << "    error: " << m.error << "\n";
    if (!m.difference.empty()) {
      std::cout << "    schema difference (- before up, + after down):\n";
      for (const auto& line : m.difference) std::cout << "      " << line << "\n";
    }
  }
}

}  // namespace

int run_check(const Arguments& args) {
  std::string url = args.value("--db").value_or("sqlite::memory:");
  bool json = args.flag("--json");
  Diagnostics diagnostics;
  ProgramInputs inputs = verify_inputs(args, diagnostics);  // packages: before any database
  Scratch scratch;
  open_scratch(url, scratch);
  const Dialect& dialect = *find_dialect(scratch.engine);
  if (!inputs.packages.empty()) check_engine_support(inputs, scratch.engine);
  ir::Program program = assemble_program(inputs, diagnostics, nullptr);
  plan::Plan plan;
  if (!diagnostics.has_errors()) plan = build_plan(program, dialect, diagnostics);
  runtime::CheckResult result;
  if (!diagnostics.has_errors()) {
    if (!json)
      std::cout << "check on " << runtime::redact_password(url) << " (" << dialect.name()
                << "): " << plan.migrations.size() << " migration"
                << (plan.migrations.size() == 1 ? "" : "s") << "\n";
    runtime::CheckProgress progress;
    if (!json && stderr_is_terminal())
      progress = [](const std::string& line) {
        std::cerr << "  ... " << line << "\r" << std::flush;
      };
    result = runtime::run_check(*scratch.connection, plan, progress);
    if (progress) std::cerr << std::string(70, ' ') << "\r";
  }
  if (json) {
    std::cout << result_json(result, url, dialect.name(), diagnostics).dump(2) << "\n";
  } else {
    print_diagnostics(diagnostics);
    if (!diagnostics.has_errors()) {
      print_result(result);
      std::cout << (result.ok ? "ok: every up applied and every down restored the schema\n"
                              : "FAILED\n");
    }
  }
  return result.ok && !diagnostics.has_errors() ? kOk : kFailed;
}

}  // namespace migpkg::cli
