#include "compiler/planner/planner.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/json/ir_json.hpp"
#include "compiler/planner/narrowing_check.hpp"
#include "compiler/schema/automatic_down.hpp"
#include "compiler/schema/replay.hpp"
#include "compiler/sql/statement_splitter.hpp"
#include "compiler/util/parallel.hpp"
#include "compiler/validate/dependency_graph.hpp"

namespace migpkg {
namespace {

void add_validation(const Boxed<ir::EngineSql>& sql, const ir::Step& step, const char* origin,
                    const Dialect& d, std::vector<plan::Check>& out) {
  if (!sql) return;
  const ir::LocatedText* text = sql->for_engine(d.engine());
  if (!text) return;
  out.push_back({strip_terminators(text->text),
                 std::string(origin) + " of step \"" + step.id + "\" failed", true, origin});
}

// The first word of a statement, upper-cased, after blanks and comments.
std::string first_keyword(const std::string& statement) {
  std::size_t i = 0, n = statement.size();
  while (i < n) {
    if (std::isspace(static_cast<unsigned char>(statement[i]))) {
      ++i;
    } else if (statement.compare(i, 2, "--") == 0) {
      i = statement.find('\n', i);
      if (i == std::string::npos) return {};
    } else if (statement.compare(i, 2, "/*") == 0) {
      i = statement.find("*/", i + 2);
      if (i == std::string::npos) return {};
      i += 2;
    } else {
      break;
    }
  }
  std::string word;
  for (; i < n && std::isalpha(static_cast<unsigned char>(statement[i])); ++i)
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(statement[i])));
  return word;
}

// On a dialect without transactional DDL (MySQL, Oracle), whether the step runs a statement
// that commits at once: every declarative change, and raw SQL that starts with a DDL keyword.
bool commits_implicitly(const ir::Step& step, const std::vector<std::string>& statements,
                        const Dialect& d) {
  if (d.spec().transactional_ddl || statements.empty()) return false;
  if (step.change) return true;
  if (step.transform) return false;
  static const char* const kDdl[] = {"CREATE",   "ALTER",   "DROP",  "RENAME",
                                     "TRUNCATE", "COMMENT", "GRANT", "REVOKE"};
  for (const auto& statement : statements) {
    std::string word = first_keyword(statement);
    for (const char* ddl : kDdl)
      if (word == ddl) return true;
  }
  return false;
}

struct CompiledStep {
  CompiledChange change;
  // Up steps: the statements that undo just this step (the compiled inverse of its change),
  // which the runtime uses to undo a half-applied migration step by step.
  std::optional<std::vector<std::string>> reverse;
  // A type change that narrows the column: the pre-check that refuses while a value does not fit.
  std::optional<plan::Check> narrowing;
};

// The current migration's steps with a declarative change, compiled for each dialect: the
// dialects' results of one step are adjacent in one vector, found by the step's first slot.
// Emptied after each migration, so what is compiled never outlives the migration's plan.
class CompiledSteps {
 public:
  explicit CompiledSteps(std::size_t dialects) : dialects_(dialects) {}

  // The first of the step's slots, one per dialect.
  std::size_t add(const ir::Step& step) {
    std::size_t first = items_.size();
    first_.emplace_back(&step, first);
    items_.resize(first + dialects_);
    return first;
  }
  CompiledStep& at(std::size_t slot) { return items_[slot]; }
  // A migration has a handful of steps: a linear search beats hashing.
  CompiledStep* find(const ir::Step& step, std::size_t dialect) {
    for (const auto& [known, first] : first_)
      if (known == &step) return &items_[first + dialect];
    return nullptr;
  }
  void clear() {
    first_.clear();
    items_.clear();
  }

 private:
  std::size_t dialects_;
  std::vector<std::pair<const ir::Step*, std::size_t>> first_;
  std::vector<CompiledStep> items_;
};

// The unload's statements: DELETEs of the file's keys, a few hundred keys per statement so no
// statement grows with the file.
std::vector<std::string> unload_statements(const ir::Load& unload, const Dialect& d) {
  constexpr std::size_t kKeysPerStatement = 500;
  std::vector<std::string> out;
  std::string head = "DELETE FROM " + d.quote_qualified(unload.table) + " WHERE ";
  const bool single = unload.key_columns.size() == 1;
  std::string column = single ? d.quote_identifier(unload.key_columns[0]) : "";
  for (std::size_t start = 0; start < unload.keys.size(); start += kKeysPerStatement) {
    std::size_t end = std::min(unload.keys.size(), start + kKeysPerStatement);
    std::string sql = head + (single ? column + " IN (" : "");
    for (std::size_t k = start; k < end; ++k) {
      const auto& key = unload.keys[k];
      if (single) {
        sql += (k > start ? ", " : "") + d.literal(key[0]);
        continue;
      }
      // Row values in IN are not on every dialect (SQL Server): one AND group per key.
      sql += k > start ? " OR (" : "(";
      for (std::size_t c = 0; c < key.size(); ++c)
        sql += (c ? " AND " : "") + d.quote_identifier(unload.key_columns[c]) + " = " +
               d.literal(key[c]);
      sql += ")";
    }
    out.push_back(sql + (single ? ")" : ""));
  }
  return out;
}

// `compiled`: the step's compiled change for this dialect, if any. Its statements are moved
// into the plan: every step is planned once per dialect.
plan::Step plan_step(const ir::Step& step, const Dialect& d, CompiledStep* compiled) {
  plan::Step out;
  out.id = step.id;
  out.name = step.name;
  out.transactional = step.transactional;
  out.skip_on_error = step.skip_on_error;
  out.timeout_seconds = step.timeout_seconds;
  out.source = step.location;
  add_validation(step.pre_validation, step, "preValidation", d, out.pre_checks);
  if (compiled && compiled->narrowing) out.pre_checks.push_back(std::move(*compiled->narrowing));
  if (step.transform) {
    CompiledTransform transform = compile_transform(*step.transform, d);
    out.kind = "transform";
    out.statements.push_back(transform.insert_sql);
    out.transform = std::move(transform.info);
    out.pre_checks.insert(out.pre_checks.end(), transform.pre_checks.begin(),
                          transform.pre_checks.end());
    out.post_checks = transform.post_checks;
  } else if (step.load && step.load->unload) {
    out.kind = "sql";
    out.statements = unload_statements(*step.load, d);
  } else if (step.load) {
    out.kind = "load";
    // Its own reverse deletes the keys its file holds (the unload's DELETEs), so a journalled
    // migration that fails after the load undoes it step by step like any other.
    if (!step.load->key_columns.empty()) out.reverse = unload_statements(*step.load, d);
    out.load = plan::LoadInfo{step.load->file.text, step.load->sha256, step.load->table,
                              ir::to_string(step.load->on_conflict)};
  } else if (step.change) {
    out.kind = "sql";
    if (compiled) {
      out.statements = std::move(compiled->change.statements);
      out.reverse = std::move(compiled->reverse);
    }
  } else {
    out.kind = "sql";
    if (const ir::LocatedText* text = step.sql ? step.sql->for_engine(d.engine()) : nullptr)
      out.statements = d.split(text->text);
  }
  add_validation(step.post_validation, step, "postValidation", d, out.post_checks);
  if (commits_implicitly(step, out.statements, d)) {
    out.implicit_commit = true;
    out.transactional = false;
  }
  return out;
}

std::vector<plan::Step> plan_steps(const std::vector<ir::Step>& steps,
                                   const std::vector<std::size_t>& order, const Dialect& d,
                                   std::size_t dialect, CompiledSteps& compiled) {
  std::vector<plan::Step> out;
  out.reserve(order.size());
  for (std::size_t i : order)
    out.push_back(plan_step(steps[i], d, compiled.find(steps[i], dialect)));
  return out;
}

// The inverse of an up step's change, compiled on the schema the change leaves, for each
// dialect with `wanted` set; `out[i].reverse` stays nullopt when it cannot be derived (a
// raw-SQL table) or dialect i cannot express it. `model` is tried on in a scratch scope and
// left as it was.
void reverse_statements(const ir::SchemaChange& change, schema::SchemaModel& model,
                        const std::vector<const Dialect*>& dialects, std::vector<char>& wanted,
                        CompiledStep* out) {
  std::string why;
  auto inverse = schema::inverse_of(change, model, &why);
  if (!inverse) return;
  schema::ScratchScope scratch(model);
  Diagnostics ignored;
  if (!model.apply(change, "", ignored)) return;
  std::vector<std::vector<std::string>> statements(dialects.size());
  for (const auto& undo : inverse->changes) {
    bool any = false;
    for (std::size_t i = 0; i < dialects.size(); ++i) {
      if (!wanted[i]) continue;
      CompiledChange c = compile_change(undo, model, *dialects[i]);
      if (!c.error.empty()) {
        wanted[i] = false;
        continue;
      }
      any = true;
      if (statements[i].empty())
        statements[i] = std::move(c.statements);
      else
        for (auto& text : c.statements) statements[i].push_back(std::move(text));
    }
    if (!any || !model.apply(undo, "", ignored)) return;
  }
  for (std::size_t i = 0; i < dialects.size(); ++i)
    if (wanted[i]) out[i].reverse = std::move(statements[i]);
}

// What every dialect's plan of a migration shares: its checksum and the order of its steps.
struct SharedParts {
  std::string checksum;
  std::vector<std::size_t> up_order, down_order;
};

// The migrations in plan order and their shared parts, computed once for all dialects (on
// several threads: the checksums serialize every migration's canonical IR).
struct PlanOrder {
  std::vector<const ir::Migration*> migrations;
  std::vector<SharedParts> shared;
};

PlanOrder plan_order(const ir::Program& program) {
  PlanOrder order;
  DependencyGraph graph = build_dependency_graph(program, nullptr);
  for (const MigrationNode* node : order_migrations(graph))
    order.migrations.push_back(node->migration);
  order.shared.resize(order.migrations.size());
  // Slices of a few hundred migrations: big enough to make a task worth its scheduling, small
  // enough to keep the threads evenly busy.
  constexpr std::size_t kSlice = 256;
  std::size_t slices = (order.migrations.size() + kSlice - 1) / kSlice;
  run_tasks(slices, worker_count(slices), [&](std::size_t slice) {
    std::size_t end = std::min(order.migrations.size(), (slice + 1) * kSlice);
    for (std::size_t k = slice * kSlice; k < end; ++k) {
      const ir::Migration& m = *order.migrations[k];
      order.shared[k] = {migration_checksum(m), order_steps(m.up, nullptr).order,
                         order_steps(m.down, nullptr).order};
    }
  });
  return order;
}

// One dialect's plan of migration `m`, from its compiled steps.
plan::Migration plan_migration(const ir::Migration& m, const SharedParts& shared, const Dialect& d,
                               std::size_t dialect, CompiledSteps& compiled) {
  plan::Migration pm;
  pm.plugin_id = m.plugin_id;
  pm.id = m.id;
  pm.version = m.version_text;
  pm.name = m.name;
  pm.checksum = shared.checksum;
  pm.risk_level = ir::to_string(m.risk_level);
  pm.requires_backup = m.requires_backup;
  for (const auto& dependency : m.dependencies) pm.dependencies.push_back(dependency.text);
  pm.source = m.location;
  pm.up = plan_steps(m.up, shared.up_order, d, dialect, compiled);
  pm.down = plan_steps(m.down, shared.down_order, d, dialect, compiled);
  bool up_allows_rollback = true;
  for (const auto& step : m.up) up_allows_rollback = up_allows_rollback && step.rollback_supported;
  bool every_up_reversed = !pm.up.empty();
  for (const auto& step : pm.up) every_up_reversed = every_up_reversed && step.reverse.has_value();
  pm.reversible = up_allows_rollback && (!pm.down.empty() || every_up_reversed);
  return pm;
}

// stream_plans for one group of dialects, on the calling thread, on one replay of the schema:
// every declarative change of a migration (and the reverse of every up step) is compiled for
// each dialect with the schema before it, then the migration's plans are handed on and what
// was compiled for it is dropped, so memory does not grow with the number of migrations.
// `index[i]` is dialect i's index for the stream. Migrations with a change a dialect cannot
// express are reported to that dialect and left out of its plan.
void stream_plans_on_one_replay(const ir::Program& program, const PlanOrder& order,
                                const std::vector<const Dialect*>& dialects,
                                const std::vector<std::size_t>& index, const PlanStream& stream) {
  std::size_t count = dialects.size();
  std::vector<Diagnostics> diagnostics(count);
  // Reported after the compile errors of every migration, as a plan of the whole program lists
  // them: the order does not depend on how far the stream has got.
  std::vector<Diagnostics> unsupported(count);
  std::unordered_map<const ir::Migration*, std::size_t> position;
  for (std::size_t k = 0; k < order.migrations.size(); ++k) position[order.migrations[k]] = k;
  CompiledSteps compiled(count);
  std::vector<char> failed(count), reversible(count);
  auto on_step = [&](const ir::Migration& m, const ir::Step& step, bool down,
                     schema::SchemaModel& before) {
    if (!step.change) return;
    std::size_t first = compiled.add(step);
    bool any_reversible = false;
    std::optional<schema::Narrowing> narrowing = schema::narrowing_of(*step.change, before);
    for (std::size_t i = 0; i < count; ++i) {
      const Dialect& d = *dialects[i];
      if (narrowing) compiled.at(first + i).narrowing = narrowing_check(*narrowing, d);
      CompiledChange c = compile_change(*step.change, before, d);
      if (!c.error.empty()) {
        failed[i] = 1;
        diagnostics[i].error("unsupported-change", step.change->location,
                             schema::step_context(m, step) + ": " + d.name() +
                                 " cannot express this " + ir::to_string(step.change->kind) + ": " +
                                 c.error);
      }
      for (const auto& text : c.notes)
        diagnostics[i].add({DiagnosticSeverity::Note, "skipped-on-dialect",
                            schema::step_context(m, step) + ": " + text, step.change->location,
                            ""});
      reversible[i] = c.error.empty() && !down;
      any_reversible = any_reversible || reversible[i];
      compiled.at(first + i).change = std::move(c);
    }
    if (any_reversible)
      reverse_statements(*step.change, before, dialects, reversible, &compiled.at(first));
  };
  auto done = [&](const ir::Migration& m) {
    const SharedParts& shared = order.shared[position.at(&m)];
    for (std::size_t i = 0; i < count; ++i) {
      const Dialect& d = *dialects[i];
      if (!m.supports(d.engine())) {
        unsupported[i].error(
            "unsupported-engine", m.location,
            "migration \"" + m.id + "\" cannot run on " + d.name() +
                (m.database_engines.empty() ? ": some of its steps have no SQL for it"
                                            : ": it is not in the migration's databaseEngines"));
      } else if (!failed[i]) {
        stream.migration(index[i], plan_migration(m, shared, d, i, compiled));
      }
      failed[i] = 0;
    }
    compiled.clear();
  };
  schema::replay_program(program, on_step, done);
  for (std::size_t i = 0; i < count; ++i) {
    diagnostics[i].append(unsupported[i]);
    stream.done(index[i], std::move(diagnostics[i]));
  }
}

}  // namespace

plan::Plan build_plan(const ir::Program& program, const Dialect& d, Diagnostics& diagnostics) {
  std::vector<DialectPlan> plans = build_plans(program, {&d});
  diagnostics.append(plans.front().diagnostics);
  return std::move(plans.front().plan);
}

std::vector<DialectPlan> build_plans(const ir::Program& program,
                                     const std::vector<const Dialect*>& dialects) {
  std::vector<DialectPlan> results(dialects.size());
  for (std::size_t i = 0; i < dialects.size(); ++i) {
    results[i].plan.dialect = dialects[i]->name();
    results[i].plan.migpkg_version = MIGPKG_VERSION;
  }
  PlanStream collect;
  collect.migration = [&](std::size_t i, plan::Migration&& m) {
    results[i].plan.migrations.push_back(std::move(m));
  };
  collect.done = [&](std::size_t i, Diagnostics&& d) { results[i].diagnostics = std::move(d); };
  stream_plans(program, dialects, collect);
  return results;
}

void stream_plans(const ir::Program& program, const std::vector<const Dialect*>& dialects,
                  const PlanStream& stream) {
  PlanOrder order = plan_order(program);
  std::size_t groups = worker_count(dialects.size());
  // Each group of dialects is planned on its own thread, on its own replay of the schema. A
  // dialect that rebuilds tables for ALTER (SQLite) costs about three times another; the
  // heaviest are dealt first, each to the group with the least work so far. A dialect's plan
  // does not depend on which dialects share its replay.
  std::vector<std::size_t> by_weight(dialects.size());
  std::vector<std::size_t> weight(dialects.size());
  for (std::size_t i = 0; i < dialects.size(); ++i) {
    by_weight[i] = i;
    weight[i] = dialects[i]->spec().ddl.alters_by_rebuild() ? 3 : 1;
  }
  std::stable_sort(by_weight.begin(), by_weight.end(),
                   [&](std::size_t a, std::size_t b) { return weight[a] > weight[b]; });
  std::vector<std::vector<std::size_t>> members(groups);
  std::vector<std::size_t> load(groups, 0);
  for (std::size_t i : by_weight) {
    std::size_t lightest = std::min_element(load.begin(), load.end()) - load.begin();
    members[lightest].push_back(i);
    load[lightest] += weight[i];
  }
  run_tasks(groups, groups, [&](std::size_t g) {
    std::vector<const Dialect*> group;
    for (std::size_t i : members[g]) group.push_back(dialects[i]);
    stream_plans_on_one_replay(program, order, group, members[g], stream);
  });
}

}  // namespace migpkg
