// The rewrite rules' claims held against the databases themselves: on PostgreSQL, a step L202
// (a type change) or L304 (a volatile default) flags gives its table a new relfilenode (every
// row was written again) and a step it does not flag keeps the old one; on MySQL/MariaDB, the ALTER
// of a step L203 flags is refused with ALGORITHM=INPLACE and that of a step it does not flag is
// accepted. The tables hold rows.
#include <catch2/catch.hpp>

#include <set>

#include "compiler/lint/lint.hpp"
#include "compiler/sources.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::runtime::Connection;

namespace {

// Each case with the code that says, per dialect, that a step rewrites (copies) the table.
struct Case {
  const char* dir;
  const char* postgresql;
  const char* mysql;
};
const Case kCases[] = {{"tests/lint/l202-postgresql-rewrite", "L202", "L203"},
                       {"tests/lint/l203-mysql-copy-alter", "L202", "L203"},
                       {"tests/lint/l103-narrowing-type-change", "L202", "L203"},
                       {"tests/lint/l304-volatile-default", "L304", nullptr}};

// The ids of the up steps `code` flags on the dialect.
std::set<std::string> flagged(const migpkg::ir::Program& program, const std::string& dialect,
                              const std::string& code) {
  std::set<std::string> out;
  for (const auto& f : migpkg::lint::lint_program(program, {migpkg::find_dialect(dialect)}, {}))
    if (f.rule->code == code && !f.down) out.insert(f.migration + "/" + f.step);
  return out;
}

std::string relfilenode(Connection& c, const std::string& table) {
  auto rows = c.query("SELECT relfilenode FROM pg_class WHERE relname = '" + table + "'").rows;
  REQUIRE(rows.size() == 1);
  return rows[0][0].value_or("");
}

// Runs a MySQL step's statements, each ALTER TABLE first with ALGORITHM=INPLACE: whether one
// was refused (the server can only copy the table).
bool mysql_needs_copy(Connection& c, const std::vector<std::string>& statements) {
  bool copy = false;
  for (const auto& statement : statements) {
    if (statement.rfind("ALTER TABLE", 0) == 0) {
      try {
        c.execute(statement + ", ALGORITHM=INPLACE");
        continue;
      } catch (const std::exception& e) {
        INFO(e.what());
        copy = true;
      }
    }
    c.execute(statement);
  }
  return copy;
}

}  // namespace

TEST_CASE("L202, L203 and L304 say what PostgreSQL and MySQL do to the table",
          "[lint][postgresql][mysql]") {
  for_each_engine([&](Connection& c, const std::string& dialect) {
    if (dialect != "postgresql" && dialect != "mysql") return;
    int flagged_seen = 0, unflagged_seen = 0;
    for (const Case& test : kCases) {
      const char* code = dialect == "postgresql" ? test.postgresql : test.mysql;
      if (!code) continue;
      const std::string dir = test.dir;
      migpkg::Diagnostics diagnostics;
      auto program = migpkg::load_and_validate({source_dir() + "/" + dir}, diagnostics);
      REQUIRE_FALSE(diagnostics.has_errors());
      std::set<std::string> expected = flagged(program, dialect, code);
      auto plan = plan_for(dir, dialect);
      REQUIRE(plan.migrations.size() == 2);
      for (const auto& step : plan.migrations[0].up)
        for (const auto& statement : step.statements) c.execute(statement);
      // Rows in every table the first migration made (its first column is the key).
      for (const auto& step : program.plugins[0].migrations[0].up) {
        if (!step.change) continue;
        std::string insert = "INSERT INTO " + step.change->table + " (";
        for (std::size_t i = 0; i < step.change->columns.size(); ++i)
          insert += (i ? ", " : "") + step.change->columns[i].name;
        for (int row = 1; row <= 3; ++row) {
          std::string values = std::to_string(row);
          for (std::size_t i = 1; i < step.change->columns.size(); ++i) values += ", '1'";
          c.execute(insert + ") VALUES (" + values + ")");
        }
      }
      const auto& second = program.plugins[0].migrations[1];
      for (const auto& step : plan.migrations[1].up) {
        std::string key = second.id + "/" + step.id;
        const migpkg::ir::Step* source = nullptr;
        for (const auto& s : second.up) source = s.id == step.id ? &s : source;
        REQUIRE(source);
        INFO(dir << " " << key << " on " << dialect);
        bool rewritten = false;
        if (dialect == "postgresql") {
          std::string before = relfilenode(c, source->change->table);
          for (const auto& statement : step.statements) c.execute(statement);
          rewritten = relfilenode(c, source->change->table) != before;
        } else {
          rewritten = mysql_needs_copy(c, step.statements);
        }
        CHECK(rewritten == (expected.count(key) > 0));
        (rewritten ? flagged_seen : unflagged_seen) += 1;
      }
    }
    // Both answers were put to the test.
    CHECK(flagged_seen >= 3);
    CHECK(unflagged_seen >= 2);
  });
}
