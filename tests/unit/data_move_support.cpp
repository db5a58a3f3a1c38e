#include "unit/data_move_support.hpp"

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include <functional>

#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/schema/type_names.hpp"
#include "runtime/data/content_digest.hpp"
#include "runtime/data/data_move.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/crash_test_support.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/test_support.hpp"

namespace migpkg::test {

using migpkg::data::Row;

void install_shop(const std::string& url, const std::string& version) {
  CommandResult result = run_cli(std::string("install ") + kShopPlugin + " --db '" + url + "'" +
                                 (version.empty() ? "" : " --to " + version));
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
}

Row customer_row(std::size_t i) {
  const std::string n = std::to_string(i);
  static const char* scores[] = {"0.1", "-2.5", "1e+300", "123456789", "5e-324"};
  static const char* joined[] = {"2001-02-03T04:05:06.123456Z", "1969-07-20T20:17:40Z",
                                 "2024-02-29T23:59:59Z"};
  // NULLs, the empty string, non-ASCII and 4-byte UTF-8, zero bytes, extreme keys.
  std::string photo = std::string("\0\x01\xff", 3) + n;
  return Row{
      i == 0 ? std::string("9223372036854775807") : std::to_string(i),
      i % 5 == 0 ? std::string("") : "näme " + n + " \xF0\x9F\x98\x80",
      i % 7 == 0 ? std::optional<std::string>() : "user" + n + "@example.org",
      i % 2 ? std::string("true") : std::string("false"),
      i % 11 == 0 ? std::optional<std::string>()
                  : std::string(i % 3 ? "" : "-") + std::to_string(i * 37 % 100000) + ".0" +
                        std::to_string(i % 10),
      std::string(scores[i % 5]),
      i % 13 == 0 ? std::optional<std::string>() : std::string(joined[i % 3]),
      std::string(i % 2 ? "1960-01-01" : "2038-01-19"),
      i % 17 == 0 ? std::optional<std::string>() : photo,
      "00000000-0000-4000-8000-" + std::string(12 - std::min<std::size_t>(12, n.size()), '0') + n,
      i % 4 == 0 ? std::optional<std::string>()
                 : "{\"a\":[1,2.5,\"x\"],\"b\":{\"n\":" + n + "},\"c\":null}",
  };
}

Row order_row(std::size_t i, std::size_t customers) {
  const std::string n = std::to_string(i + 1);
  return Row{n, std::to_string(i % customers == 0 ? 9223372036854775807ULL : i % customers),
             std::to_string(i % 1000) + "." + std::to_string(10 + i % 90),
             i % 3 == 0 ? std::optional<std::string>() : "order " + n, std::string("new")};
}

void write_rows(const std::string& url, const std::string& table,
                const std::vector<std::string>& columns, const std::vector<Row>& rows) {
  auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
  const runtime::Engine& engine = runtime::engine_of(*connection);
  auto described = engine.data_table(*connection, table);
  REQUIRE(described);
  connection->begin();
  for (std::size_t at = 0; at < rows.size(); at += 1000) {
    std::vector<Row> batch(
        rows.begin() + static_cast<std::ptrdiff_t>(at),
        rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), at + 1000)));
    engine.write_data(*connection, *described, columns, batch, migpkg::data::OnConflict::Fail);
  }
  connection->commit();
  engine.reset_identity(*connection, *described);
}

void fill_shop(const std::string& url, std::size_t customers, std::size_t orders,
               std::size_t first) {
  std::vector<Row> rows;
  for (std::size_t i = first; i < first + customers; ++i) rows.push_back(customer_row(i));
  write_rows(
      url, "shop_customers",
      {"id", "name", "email", "vip", "balance", "score", "joined", "born", "photo", "ref", "prefs"},
      rows);
  rows.clear();
  for (std::size_t i = 0; i < orders; ++i) rows.push_back(order_row(i, customers));
  write_rows(url, "shop_orders", {"id", "customer_id", "total", "note", "status"}, rows);
}

namespace {

// Every row of `table` through Engine::read_data (all columns, or `columns`), in batches.
void read_rows(const std::string& url, const std::string& table,
               const std::vector<std::string>& columns,
               const std::function<void(std::vector<Row>&)>& sink) {
  auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
  const runtime::Engine& engine = runtime::engine_of(*connection);
  auto described = engine.data_table(*connection, table);
  REQUIRE(described);
  runtime::Engine::DataRead read;
  read.table = &*described;
  read.columns = columns;
  engine.read_data(*connection, read, [&](std::vector<Row> rows) { sink(rows); });
}

std::vector<migpkg::data::DataColumn> target_columns(const std::string& url,
                                                     const std::string& table) {
  auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
  auto described = runtime::engine_of(*connection).data_table(*connection, table);
  REQUIRE(described);
  return described->columns;
}

// A source row's values as the target's columns hold them (data_move.hpp as_column_holds).
void as_target_holds(const std::vector<migpkg::data::DataColumn>& target, Row& row) {
  for (std::size_t i = 0; i < row.size() && i < target.size(); ++i)
    row[i] = data::as_column_holds(target[i].type, row[i]);
}

}  // namespace

TableDigest table_digest(const std::string& url, const std::string& table,
                         const std::vector<std::string>& columns) {
  migpkg::data::ContentDigest digest;
  read_rows(url, table, columns, [&](std::vector<Row>& rows) {
    for (const Row& row : rows) digest.add(row);
  });
  return {digest.rows(), digest.hex()};
}

std::vector<Row> table_rows(const std::string& url, const std::string& table) {
  std::vector<Row> out;
  read_rows(url, table, {}, [&](std::vector<Row>& rows) {
    for (Row& row : rows) out.push_back(std::move(row));
  });
  return out;
}

void create_table(const std::string& url, const std::string& table,
                  const std::vector<std::pair<std::string, std::string>>& columns) {
  ir::SchemaChange create;
  create.kind = ir::SchemaChange::Kind::CreateTable;
  create.table = table;
  for (const auto& [name, type_name] : columns) {
    ir::Column column;
    column.name = name;
    auto parsed = schema::parse_type_name(type_name);
    REQUIRE(parsed);
    column.type = *parsed;
    column.nullable = create.columns.size() > 0;
    create.columns.push_back(column);
  }
  ir::Constraint key;
  key.kind = ir::Constraint::Kind::PrimaryKey;
  key.name = table + "_pkey";
  key.columns = {columns.front().first};
  create.constraints.push_back(key);
  auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
  schema::SchemaModel model;
  CompiledChange compiled = compile_change(create, model, dialect_for(connection->engine()));
  INFO(compiled.error);
  REQUIRE(compiled.error.empty());
  for (const std::string& sql : compiled.statements) connection->execute(sql);
}

void create_value_table(const std::string& url, const std::string& table, const std::string& type) {
  create_table(url, table, {{"id", "int64"}, {"v", type}});
}

TableDigest digest_as_target_holds(const std::string& from, const std::string& to,
                                   const std::string& table) {
  const std::vector<migpkg::data::DataColumn> target = target_columns(to, table);
  migpkg::data::ContentDigest digest;
  read_rows(from, table, {}, [&](std::vector<Row>& rows) {
    for (Row& row : rows) {
      as_target_holds(target, row);
      digest.add(row);
    }
  });
  return {digest.rows(), digest.hex()};
}

void check_same_rows(const std::string& from, const std::string& to, const std::string& table) {
  const std::vector<migpkg::data::DataColumn> target = target_columns(to, table);
  std::vector<Row> expected = table_rows(from, table), actual = table_rows(to, table);
  for (Row& row : expected) as_target_holds(target, row);
  INFO("table " << table);
  REQUIRE(actual.size() == expected.size());
  for (std::size_t r = 0; r < actual.size(); ++r) {
    INFO("row " << r);
    for (std::size_t i = 0; i < actual[r].size(); ++i) {
      INFO("column " << target[i].name << ": " << expected[r][i].value_or("NULL") << " -> "
                     << actual[r][i].value_or("NULL"));
      CHECK(actual[r][i] == expected[r][i]);
    }
  }
}

ir::ColumnType column_type(const std::string& url, const std::string& table,
                           const std::string& column) {
  auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
  auto described = runtime::engine_of(*connection).data_table(*connection, table);
  REQUIRE(described);
  REQUIRE(described->find_column(column));
  return described->find_column(column)->type;
}

void write_dataset(const std::string& url, const std::vector<std::string>& tables,
                   const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& plugins, bool csv_zstd) {
  auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
  const runtime::Engine& engine = runtime::engine_of(*connection);
  auto writer =
      data::DatasetWriter::create(path, csv_zstd ? data::FileFormat::Csv : data::FileFormat::Ndjson,
                                  csv_zstd ? data::Compression::Zstd : data::Compression::None);
  data::DatasetManifest manifest;
  manifest.source_engine = engine.name();
  for (const auto& [id, version] : plugins) manifest.plugins.push_back({id, version});
  for (const std::string& table : tables) {
    auto described = engine.data_table(*connection, table);
    REQUIRE(described);
    writer->begin_table(*described);
    runtime::Engine::DataRead read;
    read.table = &*described;
    read.batch_rows = 1000;
    engine.read_data(*connection, read, [&](std::vector<Row> rows) { writer->write_rows(rows); });
    writer->end_table();
  }
  writer->finish(manifest);
}

nlohmann::json checked_report(const std::string& out, const std::string& schema) {
  nlohmann::json report = nlohmann::json::parse(out);
  INFO(out);
  CHECK(schema_violations(load_schema(schema), report) == std::vector<std::string>{});
  return report;
}

long kill_and_run_again(const std::string& command, const std::string& to, const std::string& table,
                        std::size_t rows, long kill_after, const std::string& schema) {
  Background run = start(command);
  auto done = [&] {
    // That table's checkpoint: copy --create keeps another row, of the tables it made.
    std::string text =
        scalar(to, "SELECT rows_done FROM migpkg_data_runs WHERE table_name = '" + table + "'");
    return text.empty() || text == "NULL" ? 0L : std::stol(text);
  };
  // Polled often: on SQLite the rows after `kill_after` can take less than 50 ms, and a kill
  // after the end proves nothing (it made this test fail once).
  bool reached = wait_for([&] { return done() >= kill_after; }, 300, 2);
  kill_hard(run);
  if (!reached)
    FAIL("no checkpoint of " << kill_after << " rows within 300 s; the run's output: "
                             << read_file(run.out) << read_file(run.err));
  // The server may still finish what the killed client had sent before it died (MariaDB runs a
  // received COMMIT to its end, a moment later when the machine is busy): the checkpoint is read
  // once it has not moved for a second.
  long checkpoint = done();
  for (int stable = 0, polls = 0; stable < 5 && polls < 150; ++polls) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const long now = done();
    stable = now == checkpoint ? stable + 1 : 0;
    checkpoint = now;
  }
  INFO("killed after " << checkpoint << " rows");
  REQUIRE(checkpoint < static_cast<long>(rows));
  // What the target holds is exactly what the checkpoint says: committed together.
  CHECK(scalar(to, "SELECT COUNT(*) FROM " + table) == std::to_string(checkpoint));

  CommandResult again = run_cli(command + " --json");
  INFO(again.out << again.err);
  REQUIRE(again.exit_code == 0);
  nlohmann::json report = checked_report(again.out, schema);
  CHECK(report["resumed"] == true);
  CHECK(report["tables"][0]["resumedAfter"] == checkpoint);
  CHECK(report["tables"][0]["rowsWritten"] == rows - static_cast<std::size_t>(checkpoint));
  CHECK(report["tables"][0]["verified"] == "rows and content");
  // The run finished: its checkpoints are gone.
  CHECK(scalar(to, "SELECT COUNT(*) FROM migpkg_data_runs") == "0");
  return checkpoint;
}

void execute(const std::string& url, const std::string& sql) {
  auto connection = runtime::open_connection(runtime::DatabaseUrl::parse(url));
  connection->execute(sql);
}

}  // namespace migpkg::test
