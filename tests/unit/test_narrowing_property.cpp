// What counts as narrowing, held against PostgreSQL and MariaDB (strict mode), which enforce
// every type: for each pair of types (numbers with numbers, text with text, and on MariaDB, whose
// enums are native, enums with enums and text), a column of the old type holding its extreme
// values is changed to the new type by the ALTER migpkg plans for the engine. The engine either
// keeps every value, or rejects or changes one (cuts a string, rounds a decimal). narrowing_of
// must call the change narrowing exactly when the engine does not keep them all, and then the
// planned pre-check, run before the ALTER, must count at least one row.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <regex>

#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/planner/narrowing_check.hpp"
#include "compiler/schema/narrowing.hpp"
#include "compiler/schema/type_names.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

using Kind = migpkg::ir::ColumnType::Kind;

struct Sample {
  const char* type;
  std::vector<std::string> values;  // SQL literals: the type's extremes
};

std::string x(std::size_t n) {
  return "'" + std::string(n, 'x') + "'";
}

// Numbers, then text. Integer and decimal -> float changes are left out: a float keeps every
// value in range but not every digit, and migpkg does not check precision (docs/plan-format.md).
const std::vector<Sample>& numbers() {
  static const std::vector<Sample> samples = {
      {"int16", {"-32768", "32767"}},
      {"int32", {"-2147483648", "2147483647"}},
      {"int64", {"-9223372036854775808", "9223372036854775807"}},
      {"decimal(4,0)", {"-9999", "9999"}},
      {"decimal(6,2)", {"-9999.99", "9999.99"}},
      {"decimal(10,0)", {"-9999999999", "9999999999"}},
      {"decimal(12,4)", {"-99999999.9999", "99999999.9999"}},
      {"decimal(20,0)", {"-99999999999999999999", "99999999999999999999"}},
      {"float32", {"-3.4e38", "3.4e38", "0.5"}},
      {"float64", {"-1e300", "1e300", "0.5"}},
  };
  return samples;
}

// text's extreme is longer than every string(n) and char(n) here.
const std::vector<Sample>& texts() {
  static const std::vector<Sample> samples = {
      {"text", {x(1000)}},       {"string(5)", {x(5)}}, {"string(20)", {x(20)}},
      {"string(300)", {x(300)}}, {"char(5)", {x(5)}},   {"char(20)", {x(20)}},
  };
  return samples;
}

migpkg::ir::ColumnType type_of(const char* name) {
  auto type = migpkg::schema::parse_type_name(name);
  REQUIRE(type);
  return *type;
}

bool is_float(Kind kind) {
  return kind == Kind::Float32 || kind == Kind::Float64;
}

const std::vector<Sample>& enums() {
  static const std::vector<Sample> samples = {
      {"enum('a','b','c')", {"'a'", "'c'"}},
      {"enum('a','b')", {"'a'", "'b'"}},
      {"enum('a','b','c','d')", {"'a'", "'d'"}},
      {"string(5)", {"'a'", "'e'"}},
  };
  return samples;
}

// One engine, as the test needs it: run(statements, query) runs the statements in order, then
// the query, and gives the query's first row as text; it throws when the engine refuses one.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::vector<std::string> run(const std::vector<std::string>& statements,
                                       const std::string& query) = 0;
};

class PostgreSQL : public Engine {
 public:
  explicit PostgreSQL(const std::string& url) : connection_(migpkg::runtime::open_url(url)) {}
  std::vector<std::string> run(const std::vector<std::string>& statements,
                               const std::string& query) override {
    for (const auto& sql : statements) connection_->execute(sql);
    std::vector<std::string> out;
    if (query.empty()) return out;
    migpkg::runtime::ResultSet result = connection_->query(query);
    for (const auto& value : result.rows.at(0)) out.push_back(value.value_or("NULL"));
    return out;
  }

 private:
  std::unique_ptr<migpkg::runtime::Connection> connection_;
};

// Through the mariadb client, as the other MariaDB tests (the suite has no MySQL driver): one
// client per run, which stops at the first statement the server refuses.
class MariaDB : public Engine {
 public:
  explicit MariaDB(std::string client) : client_(std::move(client)) {}
  std::vector<std::string> run(const std::vector<std::string>& statements,
                               const std::string& query) override {
    std::string script;
    for (const auto& sql : statements) script += sql + ";\n";
    script += query;
    FILE* pipe = popen((client_ + " -N -B -e " + shell_quoted(script) + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run the mariadb client");
    std::string out;
    char buffer[4096];
    while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    int status = pclose(pipe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error(out);
    out = out.substr(0, out.find('\n'));
    std::vector<std::string> values;
    std::size_t start = 0;
    for (std::size_t tab; (tab = out.find('\t', start)) != std::string::npos; start = tab + 1)
      values.push_back(out.substr(start, tab - start));
    values.push_back(out.substr(start));
    return values;
  }

 private:
  std::string client_;
};

// Every pair of types within each of `families`, planned for `dialect` and run on `engine`.
void check_pairs(Engine& engine, const migpkg::Dialect& dialect,
                 const std::vector<const std::vector<Sample>*>& families, int min_pairs,
                 int min_narrowing) {
  int pairs = 0, narrowing = 0;
  for (const auto* family : families) {
    for (const Sample& from : *family) {
      for (const Sample& to : *family) {
        migpkg::ir::ColumnType from_type = type_of(from.type), to_type = type_of(to.type);
        if (std::string(from.type) == to.type) continue;
        if (!is_float(from_type.kind) && is_float(to_type.kind)) continue;
        INFO(dialect.name() << ": " << from.type << " -> " << to.type);
        ++pairs;
        migpkg::schema::SchemaModel model;
        migpkg::Diagnostics diagnostics;
        migpkg::ir::SchemaChange create;
        create.kind = migpkg::ir::SchemaChange::Kind::CreateTable;
        create.table = "p";
        create.columns = {{"id", type_of("int32"), false, {}, "", {}},
                          {"c", from_type, true, {}, "", {}}};
        REQUIRE(model.apply(create, "", diagnostics));
        migpkg::ir::SchemaChange alter;
        alter.kind = migpkg::ir::SchemaChange::Kind::AlterColumn;
        alter.table = "p";
        alter.column = "c";
        alter.set_type = to_type;
        auto found = migpkg::schema::narrowing_of(alter, model);
        migpkg::CompiledChange statements = migpkg::compile_change(alter, model, dialect);
        REQUIRE(statements.error.empty());

        std::vector<std::string> setup = {"DROP TABLE IF EXISTS p", "DROP TABLE IF EXISTS q"};
        for (const auto& sql : migpkg::compile_change(create, model, dialect).statements)
          setup.push_back(sql);
        for (std::size_t i = 0; i < from.values.size(); ++i)
          setup.push_back("INSERT INTO p (id, c) VALUES (" + std::to_string(i) + ", " +
                          from.values[i] + ")");
        setup.push_back("CREATE TABLE q AS SELECT * FROM p");
        std::string check = found ? migpkg::narrowing_check(*found, dialect).sql : "";
        std::vector<std::string> checked = engine.run(setup, check);
        std::string counted = found ? checked.at(1) : "";
        bool kept = true;
        std::string refused;
        try {
          std::string text = dialect.name() == "mysql" ? "CHAR" : "TEXT";
          std::string differs = family == &numbers()
                                    ? "p.c <> q.c"
                                    : "CAST(p.c AS " + text + ") <> CAST(q.c AS " + text + ")";
          std::string changed =
              engine
                  .run(statements.statements,
                       "SELECT COUNT(*) FROM p JOIN q ON p.id = q.id WHERE " + differs)
                  .at(0);
          kept = changed == "0";
          if (!kept) refused = "changed " + changed + " value(s)";
        } catch (const std::exception& e) {
          refused = e.what();
          kept = false;
        }
        INFO("the engine: " << refused);
        CHECK(found.has_value() == !kept);
        if (found) {
          ++narrowing;
          CHECK(counted != "0");
        }
      }
    }
  }
  CHECK(pairs >= min_pairs);
  CHECK(narrowing >= min_narrowing);
}

}  // namespace

TEST_CASE("a change is narrowing exactly when PostgreSQL would not keep every value",
          "[narrowing][postgresql]") {
  std::string url = postgres_url();
  if (url.empty()) {
    WARN("skipped: MIGPKG_TEST_PG_URL is not set");
    return;
  }
  migpkg::runtime::TemporaryDatabase scratch(url, "migpkg_narrowing");
  PostgreSQL engine(scratch.url());
  check_pairs(engine, migpkg::postgresql_dialect(), {&numbers(), &texts()}, 104, 40);
}

TEST_CASE("a change is narrowing exactly when MariaDB would not keep every value",
          "[narrowing][mysql]") {
  std::string url = mysql_url();
  if (url.empty()) {
    WARN("skipped: MIGPKG_TEST_MYSQL_URL is not set");
    return;
  }
  std::string server = mariadb_client(url);
  REQUIRE_FALSE(server.empty());
  std::string db = "migpkg_narrowing_property";
  REQUIRE(
      std::system((server + " -e 'DROP DATABASE IF EXISTS " + db + "; CREATE DATABASE " + db + "'")
                      .c_str()) == 0);
  MariaDB engine(server + " " + db);
  check_pairs(engine, migpkg::mysql_dialect(), {&numbers(), &texts(), &enums()}, 116, 45);
  std::system((server + " -e 'DROP DATABASE IF EXISTS " + db + "'").c_str());
}
