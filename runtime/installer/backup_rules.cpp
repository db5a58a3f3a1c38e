#include "runtime/installer/backup_rules.hpp"

#include <algorithm>
#include <regex>

#include "compiler/schema/replay.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/history/object_owners.hpp"

namespace migpkg::runtime {
namespace {

std::string quoted(const std::string& name) {
  return "\"" + name + "\"";
}

// Statements that take rows or values away from a table, with the table's name as written
// (group 1): DROP TABLE, TRUNCATE, ALTER TABLE ... DROP [COLUMN] (not a constraint or key), and
// ALTER TABLE ... ALTER [COLUMN] c [SET DATA] TYPE (a down's narrowing of a widened type).
const std::vector<std::regex>& destructive_patterns() {
  static const std::vector<std::regex> patterns = [] {
    const std::string name = "(" + sql_name_pattern() + ")";
    const std::string table = R"(^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?)" + name;
    const auto flags = std::regex::icase | std::regex::optimize;
    return std::vector<std::regex>{
        std::regex(R"(^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?)" + name, flags),
        std::regex(R"(^TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?)" + name, flags),
        std::regex(
            table + R"(\s+DROP\s+(?!CONSTRAINT\b|PRIMARY\b|FOREIGN\b|INDEX\b|KEY\b|CHECK\b))",
            flags),
        std::regex(table + R"(\s+(?:ALTER|MODIFY)\s+(?:COLUMN\s+)?)" + sql_name_pattern() +
                       R"(\s+(?:SET\s+DATA\s+)?TYPE\b)",
                   flags),
    };
  }();
  return patterns;
}

bool holds_rows(Connection& c, const std::string& table) {
  // A failed query may abort the open transaction (PostgreSQL; a rollback asks inside its commit
  // batch), so the engine finds a table that is not there out without one where it must.
  if (!engine_of(c).table_exists(c, table)) return false;
  try {
    return !c.query("SELECT 1 FROM " + table + " LIMIT 1").rows.empty();
  } catch (const LockTimeout&) {
    throw;  // unreadable for now is not empty: taking it for empty would skip the backup
  } catch (const std::exception&) {
    return false;  // SQLite: not there (yet), nothing to lose
  }
}

}  // namespace

bool backup_required(const plan::Migration& m) {
  return m.requires_backup || m.risk_level == "high" || m.risk_level == "critical";
}

PreviousTypes previous_types(const ir::Program& program,
                             const std::vector<const ir::Migration*>& pending) {
  PreviousTypes out;
  bool any = false;
  for (const auto* m : pending)
    for (const auto& step : m->up)
      any = any || (step.change && step.change->kind == ir::SchemaChange::Kind::AlterColumn &&
                    step.change->set_type);
  if (!any) return out;
  schema::replay_program(program, [&](const ir::Migration&, const ir::Step& step, bool down,
                                      schema::SchemaModel& before) {
    if (down || !step.change || step.change->kind != ir::SchemaChange::Kind::AlterColumn ||
        !step.change->set_type)
      return;
    if (const schema::Table* table = before.find_table(step.change->table))
      if (const ir::Column* column = table->find_column(step.change->column))
        out.emplace(&*step.change, column->type);
  });
  return out;
}

bool widens(const ir::ColumnType& before, const ir::ColumnType& after) {
  using K = ir::ColumnType::Kind;
  auto rank = [](K kind, const std::vector<K>& ladder) {
    auto it = std::find(ladder.begin(), ladder.end(), kind);
    return it == ladder.end() ? -1 : static_cast<int>(it - ladder.begin());
  };
  const std::vector<K> integers = {K::Int16, K::Int32, K::Int64};
  if (rank(before.kind, integers) >= 0 && rank(after.kind, integers) >= 0)
    return rank(before.kind, integers) <= rank(after.kind, integers);
  if (before.kind == K::Float32 && after.kind == K::Float64) return true;
  if ((before.kind == K::String || before.kind == K::Char) && after.kind == K::Text) return true;
  if (before.kind != after.kind) return false;
  switch (before.kind) {
    case K::String:
      return !after.length || (before.length && *before.length <= *after.length);
    case K::Decimal: {
      long long scale_before = before.scale.value_or(0), scale_after = after.scale.value_or(0);
      if (!after.precision) return true;
      if (!before.precision) return false;
      return scale_before <= scale_after &&
             *before.precision - scale_before <= *after.precision - scale_after;
    }
    case K::Enum:
      return std::all_of(before.values.begin(), before.values.end(), [&](const std::string& v) {
        return std::find(after.values.begin(), after.values.end(), v) != after.values.end();
      });
    case K::Char:
    case K::Vector:
      return before.length == after.length;  // a longer char pads; a vector's size is fixed
    default:
      return true;  // the same type
  }
}

std::string destroyed_by(const ir::Step& step, const PreviousTypes& previous) {
  using K = ir::SchemaChange::Kind;
  if (!step.change) return {};
  const ir::SchemaChange& change = *step.change;
  if (change.kind == K::DropTable) return "drops table " + quoted(change.table);
  if (change.kind == K::DropColumn)
    return "drops column " + quoted(change.table) + "." + quoted(change.column);
  if (change.kind == K::AlterColumn && change.set_type) {
    auto before = previous.find(&change);
    if (before != previous.end() && widens(before->second, *change.set_type)) return {};
    return "changes the type of column " + quoted(change.table) + "." + quoted(change.column);
  }
  return {};
}

std::vector<std::string> destroyed_by(const ir::Migration& migration,
                                      const PreviousTypes& previous) {
  std::vector<std::string> out;
  for (const auto& step : migration.up)
    if (std::string destroyed = destroyed_by(step, previous); !destroyed.empty())
      out.push_back(std::move(destroyed));
  return out;
}

std::vector<std::string> tables_losing_rows(Connection& c, const std::vector<plan::Step>& steps) {
  std::vector<std::string> names;  // as written, each once
  for (const auto& step : steps)
    for (const auto& statement : step.statements) {
      std::string head = statement_head(statement);
      std::smatch match;
      for (const auto& pattern : destructive_patterns())
        if (std::regex_search(head, match, pattern)) {
          if (std::find(names.begin(), names.end(), match[1].str()) == names.end())
            names.push_back(match[1]);
          break;
        }
    }
  std::vector<std::string> out;
  for (const auto& name : names)
    if (holds_rows(c, name)) out.push_back("table " + quoted(normalized_object_name(name)));
  return out;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i)
    out += (i == 0 ? "" : i + 1 == words.size() ? " and " : ", ") + words[i];
  return out;
}

}  // namespace migpkg::runtime
