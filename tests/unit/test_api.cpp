// The public C++ API (include/migpkg/, api/, docs/api.md), with rows, on SQLite, PostgreSQL and
// MariaDB: install, plan, status, history and rollback return the same reports the commands
// print with --json (compared with the CLI's output byte for byte, and checked against the
// schemas); progress arrives through the callback and a CancelToken stops a run at a safe point
// from which the same call resumes; diagnostics are data; failures are results, not exceptions,
// and change nothing.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

#include "compiler/dialects/dialect.hpp"
#include "include/migpkg/migpkg.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/data_move_support.hpp"
#include "unit/operations_test_support.hpp"
#include "unit/package_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;
using namespace migpkg::test;
using json = nlohmann::json;

namespace {

const char* kCurrencies = "/packages/examples/currencies-dsl";
const char* kSteps = "/tests/operations/steps";

// Records of a data file: non-blank lines, less a CSV file's header.
std::size_t records_in(const std::string& path) {
  std::istringstream in(read_file(path));
  std::size_t lines = 0;
  for (std::string line; std::getline(in, line);) lines += !line.empty();
  bool csv = path.size() > 4 && path.substr(path.size() - 4) == ".csv";
  return csv ? lines - 1 : lines;
}

std::string quoted(const std::string& word) {
  return shell_quoted(word);
}

std::vector<std::int64_t> item_ids(const std::string& url) {
  std::vector<std::int64_t> ids;
  for (const data::Row& row : table_rows(url, "op_items"))
    ids.push_back(std::stoll(row.at(0).value_or("-1")));
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool table_exists(const std::string& url, const std::string& table) {
  auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
  return runtime::engine_of(*connection).own_table_exists(*connection, table);
}

api::RunOptions options_in(const std::string& dir) {
  api::RunOptions options;
  options.actor = "api-tester";
  options.backup_directory = dir + "/backups";
  return options;
}

}  // namespace

TEST_CASE(
    "the public API installs a plugin with its rows, reports it as the CLI does and rolls it back",
    "[api][install][sqlite][postgresql][mysql]") {
  for_each_database_url("migpkg_api", [](const std::string& url) {
    const std::string dir = make_temp_dir();
    api::InstallRequest request;
    request.database = url;
    request.inputs = {source_dir() + kCurrencies};
    api::RunOptions options = options_in(dir);
    std::vector<api::Progress> progress;
    std::vector<std::string> log;
    options.on_progress = [&](const api::Progress& p) { progress.push_back(p); };
    options.on_log = [&](const std::string& line) { log.push_back(line); };

    // plan: what would run, nothing changed (a SQLite file is not even created).
    api::RunResult planned = api::plan(request, options);
    INFO((planned.problems.empty() ? "" : planned.problems[0]));
    REQUIRE(planned.ok());
    CHECK(planned.command == "plan");
    REQUIRE(planned.migrations.size() == 2);
    for (const auto& m : planned.migrations) CHECK(m.action == "would-apply");
    CHECK(planned.sql.find("cur_currencies") != std::string::npos);
    check_schema(planned.json, "run-report.schema.json");
    if (url.rfind("sqlite:", 0) == 0) CHECK_FALSE(path_exists(url.substr(7)));

    api::RunResult installed = api::install(request, options);
    INFO((installed.problems.empty() ? "" : installed.problems[0]));
    REQUIRE(installed.ok());
    CHECK(installed.exit_code == 0);
    CHECK_FALSE(installed.error);
    check_schema(installed.json, "run-report.schema.json");
    json report = json::parse(installed.json);
    REQUIRE(report["migrations"].size() == installed.migrations.size());
    for (std::size_t i = 0; i < installed.migrations.size(); ++i) {
      CHECK(installed.migrations[i].action == "applied");
      CHECK(report["migrations"][i]["id"] == installed.migrations[i].migration_id);
      CHECK(report["migrations"][i]["action"] == installed.migrations[i].action);
    }
    // Progress in migrations, ending with all of them done; the run's lines through on_log.
    REQUIRE_FALSE(progress.empty());
    CHECK(progress.back().unit == "migrations");
    CHECK(progress.back().done == 2);
    CHECK(progress.back().total == 2);
    CHECK_FALSE(log.empty());

    // The rows the load steps brought, every one of them.
    const std::string data = source_dir() + kCurrencies + "/data/";
    CHECK(table_rows(url, "cur_currencies").size() == records_in(data + "currencies.ndjson"));
    CHECK(table_rows(url, "cur_countries").size() == records_in(data + "countries.csv"));
    CHECK(table_rows(url, "cur_regions").size() == records_in(data + "regions.ndjson"));

    // status and history: typed, and the very report `--json` prints.
    api::StatusResult state = api::status(url);
    REQUIRE(state.ok());
    CommandResult cli_status = run_cli("status --db " + quoted(url) + " --json");
    REQUIRE(cli_status.exit_code == 0);
    CHECK(cli_status.out == state.json + "\n");
    check_schema(state.json, "status.schema.json");
    REQUIRE(state.plugins.size() == 1);
    CHECK(state.plugins[0].plugin_id == installed.migrations[0].plugin_id);
    REQUIRE(state.plugins[0].migrations.size() == 2);
    for (const auto& m : state.plugins[0].migrations) {
      CHECK(m.applied_by == "api-tester");
      CHECK(m.package_sha256.empty());  // from sources
    }
    CHECK(state.partial.empty());

    api::HistoryResult history = api::history(url);
    REQUIRE(history.ok());
    CommandResult cli_history = run_cli("history --db " + quoted(url) + " --json");
    REQUIRE(cli_history.exit_code == 0);
    CHECK(cli_history.out == history.json + "\n");
    check_schema(history.json, "history.schema.json");
    REQUIRE(history.entries.size() == 2);
    for (const auto& h : history.entries) {
      CHECK(h.state == "applied");
      CHECK(h.direction == "up");
    }

    // Again: nothing to do, nothing changes.
    api::RunResult again = api::install(request, options);
    REQUIRE(again.ok());
    CHECK(again.migrations.empty());
    CHECK(table_rows(url, "cur_currencies").size() == records_in(data + "currencies.ndjson"));

    // A rollback dry run names what would run and changes nothing; the rollback removes it.
    api::RollbackRequest back;
    back.database = url;
    back.plugin = state.plugins[0].plugin_id;
    back.target = api::RollbackRequest::Target::All;
    back.dry_run = true;
    api::RunResult would = api::rollback(back, options);
    REQUIRE(would.ok());
    CHECK(would.migrations.size() == 2);
    CHECK_FALSE(would.sql.empty());
    CHECK(table_rows(url, "cur_currencies").size() == records_in(data + "currencies.ndjson"));
    back.dry_run = false;
    api::RunResult undone = api::rollback(back, options);
    INFO((undone.problems.empty() ? "" : undone.problems[0]));
    REQUIRE(undone.ok());
    check_schema(undone.json, "run-report.schema.json");
    for (const auto& m : undone.migrations) CHECK(m.action == "rolled-back");
    CHECK(api::status(url).plugins.empty());
    for (const char* table : {"cur_currencies", "cur_countries", "cur_regions"}) {
      INFO(table);
      CHECK_FALSE(table_exists(url, table));
    }
    CHECK(api::history(url).entries.size() == 4);
  });
}

TEST_CASE("a CancelToken stops an API install at a safe point and the same call resumes it",
          "[api][cancel][sqlite][postgresql][mysql]") {
  for_each_database_url("migpkg_api_cancel", [](const std::string& url) {
    const std::string dir = make_temp_dir();
    api::InstallRequest request;
    request.database = url;
    request.inputs = {source_dir() + kSteps};
    api::CancelToken token;
    api::RunOptions options = options_in(dir);
    options.cancel = &token;
    // Cancelled from the progress callback once the first migration is done.
    options.on_progress = [&](const api::Progress& p) {
      if (p.unit == "migrations" && p.done == 1) token.cancel();
    };
    api::RunResult first = api::install(request, options);
    CHECK(first.status == api::Status::Cancelled);
    CHECK(first.exit_code == 6);
    CHECK(std::string(api::status_name(first.status)) == "cancelled");
    REQUIRE(first.problems.size() == 1);
    CHECK(item_ids(url) == std::vector<std::int64_t>{1, 2, 3});
    CHECK(api::status(url).plugins.at(0).migrations.size() == 1);

    api::RunResult again = api::install(request, options_in(dir));
    INFO((again.problems.empty() ? "" : again.problems[0]));
    REQUIRE(again.ok());
    CHECK(again.migrations.size() == 2);
    CHECK(item_ids(url) == std::vector<std::int64_t>{1, 2, 3, 10, 11, 12, 20, 21, 22, 30, 31, 32});
  });
}

TEST_CASE("API validate and compile return the CLI's diagnostics and plans as data", "[api]") {
  // A DSL source with errors: each diagnostic with its code, file, line and column, and the
  // report `validate --json` prints.
  const std::string bad = source_dir() + "/tests/errors-dsl/expression-names.mig";
  api::ValidateResult invalid = api::validate({bad});
  CHECK(invalid.status == api::Status::Invalid);
  CHECK(invalid.exit_code == 1);
  REQUIRE(api::has_errors(invalid.diagnostics));
  for (const api::Diagnostic& d : invalid.diagnostics) {
    CHECK_FALSE(d.code.empty());
    CHECK_FALSE(d.message.empty());
    CHECK(d.location.file == bad);
    CHECK(d.location.line > 0);
    CHECK(d.location.column > 0);
    CHECK(d.text.find(bad + ":" + std::to_string(d.location.line)) != std::string::npos);
  }
  CommandResult cli = run_cli("validate --json " + quoted(bad));
  CHECK(cli.exit_code == 1);
  CHECK(cli.out == invalid.json + "\n");

  const std::string notes = source_dir() + "/packages/examples/notes-dsl";
  api::ValidateResult valid = api::validate({notes});
  CHECK(valid.ok());
  CHECK(valid.plugins == 1);
  CHECK(valid.migrations > 0);
  CHECK_FALSE(api::has_errors(valid.diagnostics));

  for (const std::string& dialect : dialect_names()) {
    INFO("dialect " << dialect);
    api::CompileResult plan = api::compile({notes}, dialect);
    REQUIRE(plan.ok());
    CHECK(plan.dialect == dialect);
    CHECK(run_cli("compile --dialect " + dialect + " --format json " + quoted(notes)).out ==
          plan.plan_json);
    CHECK(run_cli("compile --dialect " + dialect + " " + quoted(notes)).out == plan.up_sql);
    CHECK(run_cli("compile --dialect " + dialect + " --direction down " + quoted(notes)).out ==
          plan.down_sql);
    // Asked for one text, the call renders that one only, the same as All's.
    api::CompileResult as_json = api::compile({notes}, dialect, api::CompileOutput::PlanJson);
    api::CompileResult up = api::compile({notes}, dialect, api::CompileOutput::UpSql);
    api::CompileResult down = api::compile({notes}, dialect, api::CompileOutput::DownSql);
    CHECK((as_json.plan_json == plan.plan_json && as_json.up_sql.empty() &&
           as_json.down_sql.empty()));
    CHECK((up.up_sql == plan.up_sql && up.plan_json.empty() && up.down_sql.empty()));
    CHECK((down.down_sql == plan.down_sql && down.plan_json.empty() && down.up_sql.empty()));
  }
  api::CompileResult unknown = api::compile({notes}, "db2");
  CHECK(unknown.status == api::Status::Usage);
  CHECK(unknown.exit_code == 2);
  REQUIRE(unknown.problems.size() == 1);
  CHECK(unknown.problems[0].find("unknown dialect 'db2'") != std::string::npos);
}

TEST_CASE("API failures are results that change nothing, and a signed package installs",
          "[api][package][sqlite]") {
  const std::string dir = make_temp_dir();
  const std::string db = dir + "/host.db";
  // Sources with errors: status invalid, the diagnostics, no database file.
  api::InstallRequest request;
  request.database = "sqlite:" + db;
  request.inputs = {source_dir() + "/tests/errors-dsl/expression-names.mig"};
  api::RunResult invalid = api::install(request);
  CHECK(invalid.status == api::Status::Invalid);
  CHECK(api::has_errors(invalid.diagnostics));
  CHECK_FALSE(path_exists(db));

  // A signed package: verified, installed with its provenance; with one flipped byte it is
  // refused, the database file not created.
  make_key(dir, "alice");
  const std::string package = dir + "/currencies.migpkg";
  std::string bytes = pack("packages/examples/currencies-dsl", package, dir + "/alice.key");
  api::VerifyResult verified = api::verify(package, dir + "/alice.pub");
  INFO((verified.problems.empty() ? "" : verified.problems[0]));
  REQUIRE(verified.ok());
  CHECK(verified.plugin == "acme.currencies");
  CHECK(verified.trusted_key == dir + "/alice.pub");
  CHECK(verified.files > 0);
  CHECK(
      run_cli("verify --json " + quoted(package) + " --trust " + quoted(dir + "/alice.pub")).out ==
      verified.json + "\n");

  const std::string tampered = dir + "/tampered.migpkg";
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
  write_file(tampered, bytes);
  request.inputs = {tampered};
  request.trust = dir + "/alice.pub";
  api::RunResult refused = api::install(request);
  // Refused for trust (3), or failed when the archive cannot be read at all (1): as the
  // command line classifies the same package.
  CommandResult cli = run_cli("install " + quoted(tampered) + " --trust " +
                              quoted(dir + "/alice.pub") + " --db " + quoted("sqlite:" + db));
  CHECK(cli.exit_code != 0);
  CHECK(refused.exit_code == cli.exit_code);
  CHECK(refused.status == (cli.exit_code == 3 ? api::Status::Refused : api::Status::Failed));
  CHECK(refused.error);
  REQUIRE(refused.problems.size() == 1);
  INFO(refused.problems[0]);
  CHECK(refused.problems[0].find("tampered.migpkg") != std::string::npos);
  CHECK_FALSE(path_exists(db));
  CHECK_FALSE(api::verify(tampered, dir + "/alice.pub").ok());

  request.inputs = {package};
  api::RunResult from_package = api::install(request);
  INFO((from_package.problems.empty() ? "" : from_package.problems[0]));
  REQUIRE(from_package.ok());
  api::StatusResult installed = api::status("sqlite:" + db);
  REQUIRE(installed.plugins.size() == 1);
  for (const auto& m : installed.plugins[0].migrations) {
    CHECK(m.package_sha256.size() == 64);
    CHECK_FALSE(m.signing_key.empty());
  }
  CHECK(table_rows("sqlite:" + db, "cur_currencies").size() ==
        records_in(source_dir() + kCurrencies + "/data/currencies.ndjson"));
  const std::string fresh = dir + "/fresh.db";
  request.database = "sqlite:" + fresh;

  // A bad URL and a bad --to: usage, exit 2.
  request.inputs = {source_dir() + kCurrencies};
  request.to = "one";
  api::RunResult usage = api::install(request);
  CHECK(usage.status == api::Status::Usage);
  CHECK(usage.exit_code == 2);
  CHECK_FALSE(path_exists(fresh));
  api::StatusResult nowhere = api::status("sqlite://nowhere");
  CHECK(nowhere.status == api::Status::Usage);
  // A SQLite file that does not exist reads as empty and is not created.
  api::StatusResult empty = api::status("sqlite:" + fresh);
  CHECK(empty.ok());
  CHECK(empty.plugins.empty());
  CHECK_FALSE(path_exists(fresh));
}

TEST_CASE("API export, import and copy move every row, with progress", "[api][data][sqlite]") {
  const std::string dir = make_temp_dir();
  const std::string a = "sqlite:" + dir + "/a.db", b = "sqlite:" + dir + "/b.db",
                    c = "sqlite:" + dir + "/c.db";
  api::InstallRequest request;
  request.inputs = {source_dir() + kCurrencies};
  for (const std::string& url : {a, b}) {
    request.database = url;
    REQUIRE(api::install(request, options_in(dir)).ok());
  }
  const std::size_t currencies = table_rows(a, "cur_currencies").size();
  REQUIRE(currencies > 0);

  api::ExportRequest out;
  out.database = a;
  out.output = dir + "/set";
  api::ExportResult exported = api::export_data(out);
  INFO((exported.problems.empty() ? "" : exported.problems[0]));
  REQUIRE(exported.ok());
  check_schema(exported.json, "export-report.schema.json");
  std::uint64_t rows = 0;
  for (const auto& t : exported.tables) rows += t.rows;
  CHECK(rows == exported.rows);
  CHECK(rows > currencies);

  api::ImportRequest in;
  in.database = b;
  in.input = dir + "/set";
  in.move.on_conflict = api::OnConflict::Overwrite;
  std::vector<api::Progress> progress;
  api::RunOptions options = options_in(dir);
  options.on_progress = [&](const api::Progress& p) { progress.push_back(p); };
  api::MoveResult imported = api::import_data(in, options);
  INFO((imported.problems.empty() ? "" : imported.problems[0]));
  REQUIRE(imported.ok());
  check_schema(imported.json, "import-report.schema.json");
  CHECK_FALSE(progress.empty());
  CHECK(table_rows(b, "cur_currencies").size() == currencies);

  api::CopyRequest copy;
  copy.from = a;
  copy.to = c;
  copy.create = true;
  api::MoveResult copied = api::copy_data(copy, options_in(dir));
  INFO((copied.problems.empty() ? "" : copied.problems[0]));
  REQUIRE(copied.ok());
  check_schema(copied.json, "copy-report.schema.json");
  for (const auto& t : copied.tables) {
    CHECK(t.source_rows == t.target_rows);
    CHECK(t.verified == "rows and content");
  }
  CHECK(table_rows(c, "cur_currencies").size() == currencies);
}

TEST_CASE("the public headers include only the standard library and each other", "[api]") {
  for (const std::string& name : list_dir(source_dir() + "/include/migpkg")) {
    INFO(name);
    std::istringstream in(read_file(source_dir() + "/include/migpkg/" + name));
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("#include", 0) != 0) continue;
      INFO(line);
      bool standard = line.find('<') != std::string::npos && line.find('/') == std::string::npos;
      bool sibling =
          line.find('"') != std::string::npos && line.find('/') == std::string::npos &&
          path_exists(source_dir() + "/include/migpkg/" +
                      line.substr(line.find('"') + 1, line.rfind('"') - line.find('"') - 1));
      CHECK((standard || sibling));
    }
  }
}

TEST_CASE("the API is a client of the library, not of the command line or the server", "[api]") {
  // api/ calls the same library functions the commands call; logic kept in cli/ or serve/
  // would be a second copy of it.
  for (const std::string& name : list_dir(source_dir() + "/api")) {
    std::istringstream in(read_file(source_dir() + "/api/" + name));
    for (std::string line; std::getline(in, line);) {
      INFO(name << ": " << line);
      CHECK(line.find("#include \"cli/") == std::string::npos);
      CHECK(line.find("#include \"serve/") == std::string::npos);
    }
  }
}
