// What only a dialect's plan shows: SQLite's table rebuilds (L201), and the raw SQL statements
// as that dialect runs them, scanned conservatively (raw_sql_scan.hpp) for the codes that have
// a raw form: L101, L102, L104, L301, L302, L501.
#include <string_view>

#include "compiler/lint/lint_context.hpp"
#include "compiler/lint/raw_sql_scan.hpp"
#include "runtime/history/object_owners.hpp"

namespace migpkg::lint {
namespace {

// The compiler's rebuild ends with this rename (compiler/dialects/ddl_generator.cpp; the
// runtime's sqlite_rebuild.cpp recognises a rebuild by it too).
constexpr std::string_view kRebuildRename = "ALTER TABLE \"migpkg_rebuild_";

const SourceLocation& sql_location(const ir::Step& step, const Dialect& dialect) {
  if (step.sql)
    if (const ir::LocatedText* text = step.sql->for_engine(dialect.engine()))
      if (!text->location.file.empty()) return text->location;
  return step.location;
}

void check_rebuilds(const PlannedStep& p, const Dialect& dialect, Sink& sink) {
  if (p.down || !p.step.change) return;
  for (const auto& statement : p.statements) {
    if (statement.compare(0, kRebuildRename.size(), kRebuildRename) != 0) continue;
    std::size_t end = statement.find('"', kRebuildRename.size());
    std::string table = statement.substr(kRebuildRename.size(), end - kRebuildRename.size());
    if (!p.scope.holds_rows(table)) continue;
    sink.add("L201", dialect.name(), p.migration, p.step, false, change_location(p.step),
             "rebuilds table " + quoted(table) +
                 " on SQLite: every row is copied into a new table while the database is "
                 "locked");
  }
}

bool backup_required(const ir::Migration& m) {
  return m.requires_backup || m.risk_level == ir::RiskLevel::High ||
         m.risk_level == ir::RiskLevel::Critical;
}

void check_raw_up(const PlannedStep& p, const RawStatement& s, const Dialect& dialect, Sink& sink) {
  using K = RawStatement::Kind;
  const SourceLocation& at = sql_location(p.step, dialect);
  const std::string& d = dialect.name();
  bool rows = p.scope.holds_rows(s.table);
  std::string destroyed;
  if (s.kind == K::DropTable && rows) {
    destroyed = "drops table " + quoted(s.table);
    sink.add("L101", d, p.migration, p.step, false, at,
             "raw SQL " + destroyed + " and every row in it");
  }
  if (s.kind == K::Truncate && rows) destroyed = "truncates table " + quoted(s.table);
  if (s.kind == K::DropColumn && p.scope.holds_values(s.table, s.column)) {
    destroyed = "drops column " + quoted(s.table, s.column);
    sink.add("L102", d, p.migration, p.step, false, at,
             "raw SQL " + destroyed + " and its value in every row");
  }
  if (!destroyed.empty() && !backup_required(p.migration))
    sink.add("L501", d, p.migration, p.step, false, at,
             "raw SQL " + destroyed +
                 ", and install takes no backup before raw SQL unless the migration requires one");
  if (dialect.engine() != ir::Engine::PostgreSQL || !rows) return;
  if (s.kind == K::CreateIndex && !s.concurrently)
    sink.add("L301", d, p.migration, p.step, false, at,
             "raw SQL creates an index on " + quoted(s.table) +
                 " without CONCURRENTLY: writes to the table wait until it is built");
  if ((s.kind == K::AddForeignKey || s.kind == K::AddCheck) && !s.not_valid)
    sink.add("L302", d, p.migration, p.step, false, at,
             std::string("raw SQL adds a ") +
                 (s.kind == K::AddForeignKey ? "foreign key" : "check") + " to " + quoted(s.table) +
                 " without NOT VALID: the table is locked while every row is "
                 "checked");
}

// A raw down statement that takes away a table or column that was there before the up.
void check_raw_down(const PlannedStep& p, const RawStatement& s, const Dialect& dialect,
                    Sink& sink) {
  using K = RawStatement::Kind;
  auto before = p.scope.before.find(s.table);
  if (before == p.scope.before.end()) return;
  std::string what;
  if (s.kind == K::DropTable) what = "drops table " + quoted(s.table);
  if (s.kind == K::Truncate) what = "truncates table " + quoted(s.table);
  if (s.kind == K::DropColumn && before->second.count(s.column))
    what = "drops column " + quoted(s.table, s.column);
  if (what.empty()) return;
  sink.add("L104", dialect.name(), p.migration, p.step, true, sql_location(p.step, dialect),
           "raw SQL " + what + ", which existed before the up: a rollback loses its rows");
}

}  // namespace

void check_planned_step(const PlannedStep& p, const Dialect& dialect, Sink& sink) {
  if (dialect.spec().ddl.alters_by_rebuild()) check_rebuilds(p, dialect, sink);
  if (!p.step.sql) return;
  for (const auto& statement : p.statements) {
    RawStatement scanned = scan_statement(statement);
    if (scanned.kind == RawStatement::Kind::Other) continue;
    if (p.down)
      check_raw_down(p, scanned, dialect, sink);
    else
      check_raw_up(p, scanned, dialect, sink);
  }
}

}  // namespace migpkg::lint
