#include "runtime/check/migration_facts.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "compiler/schema/replay.hpp"

namespace migpkg::runtime {
namespace {

DeclaredLoss declared_loss(const ir::Migration& m) {
  DeclaredLoss lost;
  if (!m.automatic_down) return lost;  // an explicit down declares nothing lost
  for (const auto& step : m.up) {
    if (!step.change || !step.rollback_supported) continue;
    if (step.change->kind == ir::SchemaChange::Kind::DropTable)
      lost.tables.insert(step.change->table);
    if (step.change->kind == ir::SchemaChange::Kind::DropColumn)
      lost.columns.insert({step.change->table, step.change->column});
  }
  return lost;
}

// Per transform source table, the columns its `required` mappings read: the mapped column, and
// every word of a computed value (matched against the table's columns when seeding).
std::map<std::string, std::set<std::string>> required_source_columns(const ir::Program& program) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& plugin : program.plugins)
    for (const auto& m : plugin.migrations)
      for (const auto& step : m.up) {
        if (!step.transform) continue;
        for (const auto& mapping : step.transform->mappings) {
          if (!mapping.required || mapping.default_value) continue;
          auto& columns = out[step.transform->source];
          if (!mapping.source.empty()) columns.insert(mapping.source);
          if (!mapping.transform) continue;
          std::string text = mapping.transform->expression;
          for (const auto& [engine, sql] : mapping.transform->custom.by_engine)
            text += " " + sql.text;
          if (mapping.transform->custom.universal)
            text += " " + mapping.transform->custom.universal->text;
          std::string word;
          for (char c : text + " ") {
            if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
              word += c;
            } else if (!word.empty()) {
              columns.insert(word);
              word.clear();
            }
          }
        }
      }
  return out;
}

}  // namespace

void require_not_null(SeedTable& table,
                      const std::map<std::string, std::set<std::string>>& required) {
  auto found = required.find(table.name);
  if (found == required.end()) return;
  for (auto& column : table.columns)
    if (found->second.count(column.name)) column.nullable = false;
}

namespace {

bool has_columns(const SeedTable& table, const std::vector<std::string>& columns) {
  for (const auto& column : columns)
    if (!table.find_column(column)) return false;
  return !columns.empty();
}

// Tightens `table` with what `other` (the same table at another point of the plan) requires
// of the columns it already has.
void tighten(SeedTable& table, const SeedTable& other) {
  // A unique key over columns added later holds on the columns there are now: an added column
  // starts with one value (its default, or NULL) in every existing row.
  for (const auto& key : other.unique_keys) {
    std::vector<std::string> existing;
    for (const auto& column : key)
      if (table.find_column(column)) existing.push_back(column);
    if (!existing.empty() && std::find(table.unique_keys.begin(), table.unique_keys.end(),
                                       existing) == table.unique_keys.end())
      table.unique_keys.push_back(existing);
  }
  for (const auto& key : other.foreign_keys) {
    bool known = false;
    for (const auto& mine : table.foreign_keys) known = known || mine.columns == key.columns;
    if (!known && has_columns(table, key.columns)) table.foreign_keys.push_back(key);
  }
  for (auto& column : table.columns) {
    const SeedColumn* then = other.find_column(column.name);
    if (!then) continue;
    if (!then->nullable) column.nullable = false;
    // Edge values of one type need not fit another the plan converts the column to; whether a
    // narrowing copes with values that do not fit is its pre-check's concern.
    bool retyped = then->type.kind != column.type.kind || then->type.length != column.type.length ||
                   then->type.precision != column.type.precision ||
                   then->type.scale != column.type.scale;
    if (then->plain || retyped) column.plain = true;
  }
}

}  // namespace

std::map<std::string, MigrationFacts> migration_facts(const ir::Program& program) {
  std::map<std::string, MigrationFacts> facts;
  std::set<std::string> names = schema::mentioned_tables(program);
  // Per migration in plan order: its key, and the tables after its up steps.
  std::vector<std::pair<std::string, std::vector<schema::Table>>> after_up;
  const ir::Migration* current = nullptr;
  bool after_seen = false;
  auto tables_of = [&](const schema::SchemaModel& model) {
    std::vector<schema::Table> out;
    for (const auto& name : names)
      if (const schema::Table* table = model.find_table(name)) out.push_back(*table);
    return out;
  };
  // Every state of every table the replay passes through (before each step of both
  // directions), with the index of its migration in plan order.
  std::vector<std::pair<std::size_t, SeedTable>> states;
  schema::replay_program(program, [&](const ir::Migration& m, const ir::Step&, bool down,
                                      schema::SchemaModel& before) {
    std::string key = m.plugin_id + "/" + m.id;
    if (&m != current) {  // the first step: the schema before the migration
      current = &m;
      after_seen = false;
      after_up.emplace_back(key, std::vector<schema::Table>{});
      for (const auto& table : tables_of(before))
        facts[key].tables_before.push_back(seed_table_from_model(table));
    }
    if (down && !after_seen) {  // the first down step sees the schema the up steps left
      after_seen = true;
      after_up.back().second = tables_of(before);
      for (const auto& table : after_up.back().second)
        facts[key].tables_after.push_back(seed_table_from_model(table));
    }
    for (const auto& table : tables_of(before))
      states.emplace_back(after_up.size() - 1, seed_table_from_model(table));
  });
  // Rows seeded before an up respect what the table is at any later point (this migration's
  // steps included): a constraint added later finds rows it accepts. Rows seeded before the
  // downs respect every point, since the downs put the earlier ones back.
  for (std::size_t i = 0; i < after_up.size(); ++i) {
    MigrationFacts& entry = facts[after_up[i].first];
    for (const auto& [index, state] : states) {
      for (auto& table : entry.tables_before)
        if (index >= i && table.name == state.name) tighten(table, state);
      for (auto& table : entry.tables_after)
        if (table.name == state.name) tighten(table, state);
    }
  }
  for (const auto& plugin : program.plugins)
    for (const auto& m : plugin.migrations)
      facts[m.plugin_id + "/" + m.id].down_loses = declared_loss(m);
  // What the transforms of the plan require of their source rows ("required" mappings: the
  // value must not be NULL) holds for the rows they will read, like a later NOT NULL.
  std::map<std::string, std::set<std::string>> required = required_source_columns(program);
  for (auto& [key, entry] : facts) {
    entry.required_later = required;
    for (auto* tables : {&entry.tables_before, &entry.tables_after})
      for (auto& table : *tables) require_not_null(table, required);
  }
  return facts;
}

}  // namespace migpkg::runtime
