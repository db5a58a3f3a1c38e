// The public API's options that the CLI's install, plan, rollback, export, import and copy fill
// from their options and configuration (docs/api.md), each shown to take effect with rows on
// SQLite: where filters the rows exported, imported and copied; a mapping renames a column's
// target; an encrypted export is refused without its keys and imports with them; backups are
// encrypted and pruned by the retention; a registry index resolves requirements (its state kept
// only by an install); the diagnostics arrive before anything runs; and the audit log records
// the command line the host gives.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "include/migpkg/migpkg.hpp"
#include "unit/data_move_support.hpp"
#include "unit/registry_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;
using namespace migpkg::test;
using json = nlohmann::json;

namespace {

const std::size_t kCustomers = 60, kOrders = 90;
const char* kNotes = "/tests/scenarios/fixtures/notes/";

// The rows of `table` whose id (column 0) is below `limit`, as the source holds them.
std::vector<data::Row> rows_below(const std::string& url, const std::string& table,
                                  long long limit) {
  std::vector<data::Row> out;
  for (const data::Row& row : table_rows(url, table))
    if (std::stoll(row.at(0).value_or("0")) < limit) out.push_back(row);
  return out;
}

// A SQLite database with test.shop installed and filled.
std::string filled_shop(const std::string& dir, const std::string& name) {
  const std::string url = "sqlite:" + dir + "/" + name + ".db";
  install_shop(url);
  fill_shop(url, kCustomers, kOrders);
  return url;
}

std::string empty_shop(const std::string& dir, const std::string& name) {
  const std::string url = "sqlite:" + dir + "/" + name + ".db";
  install_shop(url);
  return url;
}

std::string failure_of(const api::Outcome& outcome) {
  return outcome.problems.empty() ? "" : outcome.problems.front();
}

// The notes plugin at 1.0.0, then its 1.1.0 that drops a column (a backup is taken first).
api::InstallRequest notes_request(const std::string& url, bool upgrade) {
  api::InstallRequest request;
  request.database = url;
  request.inputs = {source_dir() + kNotes + "001-install.json"};
  if (upgrade) request.inputs.push_back(source_dir() + kNotes + "002-drop-legacy.json");
  return request;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The rows of a query, one line each (query_text ends each column with '|').
std::vector<std::string> query_lines(const std::string& url, const std::string& sql) {
  std::vector<std::string> out;
  for (std::string line : split_lines(query_text(url, sql))) {
    if (!line.empty() && line.back() == '|') line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::string query_value(const std::string& url, const std::string& sql) {
  const std::vector<std::string> lines = query_lines(url, sql);
  return lines.size() == 1 ? lines[0] : "(" + std::to_string(lines.size()) + " rows)";
}

}  // namespace

TEST_CASE("api options: where keeps only the rows it names, in export, import and copy",
          "[api][data][sqlite]") {
  const std::string dir = make_temp_dir();
  const std::string from = filled_shop(dir, "from");
  const long long limit = 20;
  const auto expected = rows_below(from, "shop_customers", limit);
  REQUIRE_FALSE(expected.empty());
  REQUIRE(expected.size() < table_rows(from, "shop_customers").size());

  // export: SQL of the source.
  api::ExportRequest exported;
  exported.database = from;
  exported.output = dir + "/some";
  exported.tables = {"shop_customers"};
  exported.where = {{"shop_customers", "id < " + std::to_string(limit)}};
  api::ExportResult e = api::export_data(exported);
  INFO(failure_of(e));
  REQUIRE(e.ok());
  CHECK(e.rows == expected.size());
  REQUIRE(e.tables.size() == 1);
  CHECK(e.tables[0].rows == expected.size());

  // import of the whole data set, with where in the row filter's language.
  api::ExportRequest whole = exported;
  whole.output = dir + "/all";
  whole.where.clear();
  REQUIRE(api::export_data(whole).ok());
  const std::string imported = empty_shop(dir, "imported");
  api::ImportRequest import;
  import.database = imported;
  import.input = whole.output;
  import.move.where = {{ "shop_customers", "id < " + std::to_string(limit) }};
  api::MoveResult i = api::import_data(import);
  INFO(failure_of(i));
  REQUIRE(i.ok());
  CHECK(table_rows(imported, "shop_customers") == expected);
  REQUIRE(i.tables.size() == 1);
  CHECK(i.tables[0].rows_written == expected.size());

  // copy: SQL of the source, the orders of those customers only.
  const std::string copied = empty_shop(dir, "copied");
  api::CopyRequest copy;
  copy.from = from;
  copy.to = copied;
  copy.move.where = {{"shop_customers", "id < " + std::to_string(limit)},
                     {"shop_orders", "customer_id < " + std::to_string(limit)}};
  api::MoveResult c = api::copy_data(copy);
  INFO(failure_of(c));
  REQUIRE(c.ok());
  CHECK(table_rows(copied, "shop_customers") == expected);
  std::size_t orders = 0;
  for (const data::Row& row : table_rows(from, "shop_orders"))
    orders += std::stoll(row.at(1).value_or("0")) < limit;
  CHECK(table_rows(copied, "shop_orders").size() == orders);
}

TEST_CASE("api options: a mapping file renames a column's target, and a bad one changes nothing",
          "[api][data][sqlite]") {
  const std::string dir = make_temp_dir();
  const std::string from = filled_shop(dir, "from");
  const std::string map = dir + "/map.json";
  write_file(map, R"({"tables": [{"source": "shop_customers", "target": "people", "mapping": [
      {"source": "name", "target": "full_name"}]}]})");
  const std::string to = "sqlite:" + dir + "/to.db";
  api::CopyRequest copy;
  copy.from = from;
  copy.to = to;
  copy.create = true;
  copy.move.tables = {"shop_customers"};
  copy.move.map_file = map;
  api::MoveResult c = api::copy_data(copy);
  INFO(failure_of(c));
  REQUIRE(c.ok());
  CHECK(c.created == std::vector<std::string>{"people"});
  REQUIRE(c.tables.size() == 1);
  CHECK(c.tables[0].target_table == "people");
  // Every name arrived under its new column, row for row.
  std::vector<std::string> names, full_names;
  for (const data::Row& row : table_rows(from, "shop_customers"))
    names.push_back(row.at(0).value_or("") + "=" + row.at(1).value_or("NULL"));
  for (const std::string& line :
       query_lines(to, "SELECT id || '=' || COALESCE(full_name, 'NULL') FROM people"))
    full_names.push_back(line);
  std::sort(names.begin(), names.end());
  std::sort(full_names.begin(), full_names.end());
  CHECK(full_names == names);

  // A mapping file that is not JSON: refused before the target is opened (not even created).
  write_file(map, "not json");
  copy.to = "sqlite:" + dir + "/never.db";
  api::MoveResult refused = api::copy_data(copy);
  CHECK(refused.status == api::Status::Failed);
  CHECK_THAT(failure_of(refused), Catch::Contains("map.json"));
  CHECK_FALSE(path_exists(dir + "/never.db"));
}

TEST_CASE("api options: an encrypted export is refused without its keys and imports with them",
          "[api][data][age][sqlite]") {
  const std::string dir = make_temp_dir();
  const std::string from = filled_shop(dir, "from");
  api::ExportRequest exported;
  exported.database = from;
  exported.output = dir + "/shop.migdata";
  exported.encrypt_to.passphrase = "correct horse battery staple";
  api::ExportResult e = api::export_data(exported);
  INFO(failure_of(e));
  REQUIRE(e.ok());
  CHECK(json::parse(e.json)["encryption"]["format"] == "age");
  const std::string bytes = read_file(exported.output);
  CHECK(bytes.rfind("age-encryption.org/v1\n", 0) == 0);
  CHECK(bytes.find("shop_customers") == std::string::npos);  // no table name in the clear

  // A directory cannot be encrypted: refused, nothing written.
  api::ExportRequest directory = exported;
  directory.output = dir + "/plain";
  api::ExportResult not_a_file = api::export_data(directory);
  CHECK(not_a_file.status == api::Status::Usage);
  CHECK_FALSE(path_exists(directory.output));

  const std::string to = empty_shop(dir, "to");
  api::ImportRequest import;
  import.database = to;
  import.input = exported.output;
  for (const char* wrong : {"", "wrong passphrase"}) {
    INFO(wrong);
    import.decrypt_with.passphrase = wrong;
    api::MoveResult refused = api::import_data(import);
    CHECK_FALSE(refused.ok());
    CHECK(table_rows(to, "shop_customers").empty());
  }
  import.decrypt_with.passphrase = exported.encrypt_to.passphrase;
  api::MoveResult i = api::import_data(import);
  INFO(failure_of(i));
  REQUIRE(i.ok());
  for (const std::string& table : kShopTables) check_same_rows(from, to, table);
}

TEST_CASE("api options: backups are encrypted when asked and pruned by the retention",
          "[api][backup][age][sqlite]") {
  const std::string dir = make_temp_dir();
  const std::string url = "sqlite:" + dir + "/notes.db";
  api::RunOptions options;
  options.backup_directory = dir + "/backups";
  options.backup_encryption.passphrase = "backup passphrase";
  REQUIRE(api::install(notes_request(url, false), options).ok());
  execute_sql(url, "INSERT INTO notes (id, body, legacy) VALUES (1, 'first', 'old-1')");
  api::RunResult upgraded = api::install(notes_request(url, true), options);
  INFO(failure_of(upgraded));
  REQUIRE(upgraded.ok());
  REQUIRE(upgraded.migrations.size() == 1);
  const std::string backup = upgraded.migrations[0].backup;
  REQUIRE_FALSE(backup.empty());
  // An encrypted backup is a directory of age files, beside a manifest that names them.
  std::size_t encrypted = 0;
  for (const std::string& name : list_dir(backup)) {
    INFO(name);
    const std::string bytes = read_file(backup + "/" + name);
    CHECK(bytes.find("old-1") == std::string::npos);
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".age") == 0) {
      CHECK(bytes.rfind("age-encryption.org/v1\n", 0) == 0);
      ++encrypted;
    }
  }
  CHECK(encrypted >= 2);  // the rows and the manifest

  // Two more backups (roll back, upgrade again), then a retention of one: the run's own stays.
  options.backup_encryption = {};
  for (int round = 0; round < 2; ++round) {
    api::RollbackRequest back;
    back.database = url;
    back.plugin = "acme.notes";
    REQUIRE(api::rollback(back, options).ok());
    api::RunOptions keep_one = options;
    if (round == 1) keep_one.retention.keep = 1;
    api::RunResult again = api::install(notes_request(url, true), keep_one);
    INFO(failure_of(again));
    REQUIRE(again.ok());
    REQUIRE(again.retention_problems.empty());
    if (round == 0) {
      CHECK(again.pruned_backups.empty());
      continue;
    }
    CHECK_FALSE(again.pruned_backups.empty());
    for (const std::string& pruned : again.pruned_backups) CHECK_FALSE(path_exists(pruned));
    CHECK(path_exists(again.migrations[0].backup));
  }
  // The rows are those of the last run, which the retention did not touch.
  CHECK(query_value(url, "SELECT id || ':' || body FROM notes") == "1:first");
}

TEST_CASE("api options: install from a registry index records its state only when it installs",
          "[api][index][trust][sqlite]") {
  RegistryWorld world;
  const std::string registry = world.registry(
      {{"shop-1.0.0.migpkg", {"1.0.0", "pub"}}, {"shop-1.1.0.migpkg", {"1.1.0", "pub"}}});
  world.build_index(registry);
  const std::string dir = make_temp_dir();
  const std::string url = "sqlite:" + dir + "/shop.db";
  api::InstallRequest request;
  request.database = url;
  request.inputs = {"test.shop@^1"};
  request.index = registry + "/index.json";
  request.trust = world.trust;
  std::vector<std::string> log;
  api::RunOptions options;
  options.on_log = [&log](const std::string& line) { log.push_back(line); };

  api::RunResult planned = api::plan(request, options);
  INFO(failure_of(planned));
  REQUIRE(planned.ok());
  CHECK(index_state_files(world.trust).empty());
  CHECK_FALSE(path_exists(dir + "/shop.db"));

  api::RunResult installed = api::install(request, options);
  INFO(failure_of(installed));
  REQUIRE(installed.ok());
  CHECK_FALSE(index_state_files(world.trust).empty());
  CHECK(query_value(url, "SELECT version FROM migpkg_plugins") == "1.1.0");
  execute_sql(url, "INSERT INTO shop_items (id, name) VALUES (1, 'kept')");
  const std::string note =
      "index " + request.index + " version 1 signed by key " + world.key_id("registry");
  CHECK(std::any_of(log.begin(), log.end(),
                    [&](const std::string& line) { return line.find(note) != std::string::npos; }));
  CHECK_THAT(audit_details(url).back(), Catch::Contains(note));

  // A requirement the index cannot meet: refused, the database and the index state as they were.
  const std::string before = database_state(url), state = index_state_files(world.trust);
  request.inputs = {"test.shop@^3"};
  api::RunResult refused = api::install(request, options);
  CHECK_FALSE(refused.ok());
  CHECK_THAT(failure_of(refused), Catch::Contains("no version of test.shop"));
  CHECK(database_state(url) == before);
  CHECK(index_state_files(world.trust) == state);
}

TEST_CASE(
    "api options: the diagnostics come before a run, and the audit log has the host's command line",
    "[api][install][sqlite]") {
  const std::string dir = make_temp_dir();
  const std::string url = "sqlite:" + dir + "/notes.db";
  std::vector<api::Diagnostic> seen;
  api::RunOptions options;
  options.command_line = "acme-installer upgrade --site 7";
  options.on_diagnostics = [&seen](const std::vector<api::Diagnostic>& found) { seen = found; };

  // Sources with an error: the callback has it, nothing runs, no file is created.
  const std::string broken = dir + "/broken.json";
  json migration = json::parse(read_file(source_dir() + kNotes + "001-install.json"));
  migration["migration"]["version"] = "one";
  write_file(broken, migration.dump(2));
  api::InstallRequest request;
  request.database = url;
  request.inputs = {broken};
  api::RunResult invalid = api::install(request, options);
  CHECK(invalid.status == api::Status::Invalid);
  REQUIRE_FALSE(seen.empty());
  CHECK(api::has_errors(seen));
  CHECK(seen.size() == invalid.diagnostics.size());
  CHECK_FALSE(path_exists(dir + "/notes.db"));

  seen.clear();
  api::RunResult installed = api::install(notes_request(url, false), options);
  INFO(failure_of(installed));
  REQUIRE(installed.ok());
  CHECK_FALSE(api::has_errors(seen));
  CHECK(query_value(url, "SELECT arguments FROM migpkg_audit ORDER BY id DESC LIMIT 1") ==
        options.command_line);
}

TEST_CASE("api options: the commands and the server's operations are clients of the API",
          "[api][cli][operations]") {
  // Each command that has a call makes it; neither it nor an operation's work calls the layer
  // under the API (a second path the API's tests would not cover).
  const std::vector<std::pair<std::string, std::vector<std::string>>> clients = {
      {"cli/command_install.cpp", {"api::install(", "api::plan("}},
      {"cli/command_rollback.cpp", {"api::rollback("}},
      {"cli/command_export.cpp", {"api::export_data("}},
      {"cli/command_import.cpp", {"api::import_data("}},
      {"cli/command_copy.cpp", {"api::copy_data("}},
      {"cli/command_verify.cpp", {"api::verify("}},
      {"cli/command_status.cpp", {"api::status(", "api::history("}},
      {"cli/command_validate.cpp", {"api::validate("}},
      {"runtime/operations/operation_kinds.cpp",
       {"api::install(", "api::plan(", "api::rollback(", "api::export_data(", "api::import_data(",
        "api::copy_data("}}};
  const std::vector<std::string> under = {"runtime::install_inputs(", "runtime::rollback(",
                                          "data::run_export(",        "data::run_import(",
                                          "data::run_copy(",          "data::run_locked_move(",
                                          "verify_package_file("};
  for (const auto& [file, calls] : clients) {
    INFO(file);
    const std::string text = read_file(source_dir() + "/" + file);
    for (const std::string& call : calls) CHECK(text.find(call) != std::string::npos);
    for (const std::string& call : under) CHECK(text.find(call) == std::string::npos);
  }
}
