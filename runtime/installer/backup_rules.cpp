#include "runtime/installer/backup_rules.hpp"

#include <algorithm>
#include <regex>

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
  // On PostgreSQL a failed query would abort the open transaction (a rollback asks inside its
  // commit batch), so a table that is not there is found out without one.
  if (c.engine() == "postgresql") {
    auto found = c.query("SELECT to_regclass($1) IS NOT NULL", {table});
    if (found.rows.empty() || found.rows[0][0].value_or("") != "t") return false;
  }
  try {
    return !c.query("SELECT 1 FROM " + table + " LIMIT 1").rows.empty();
  } catch (const std::exception&) {
    return false;  // SQLite: not there (yet), nothing to lose
  }
}

}  // namespace

bool backup_required(const plan::Migration& m) {
  return m.requires_backup || m.risk_level == "high" || m.risk_level == "critical";
}

std::vector<std::string> destroyed_by(const ir::Migration& migration) {
  using K = ir::SchemaChange::Kind;
  std::vector<std::string> out;
  for (const auto& step : migration.up) {
    if (!step.change) continue;
    const ir::SchemaChange& change = *step.change;
    if (change.kind == K::DropTable)
      out.push_back("table " + quoted(change.table));
    else if (change.kind == K::DropColumn)
      out.push_back("column " + quoted(change.table) + "." + quoted(change.column));
    else if (change.kind == K::AlterColumn && change.set_type)
      out.push_back("the values of column " + quoted(change.table) + "." + quoted(change.column) +
                    " (type change)");
  }
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
