// Files, migrations and steps.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>

#include "compiler/dsl/bare_steps.hpp"
#include "compiler/dsl/dsl_text.hpp"
#include "compiler/dsl/stdlib_modules.hpp"
#include "compiler/dsl/transformer.hpp"

namespace migpkg::dsl {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string directory_of(const std::string& file) {
  auto slash = file.rfind('/');
  return slash == std::string::npos ? std::string() : file.substr(0, slash + 1);
}

// The same date-time rule as the JSON front end's createdAt/updatedAt.
bool is_rfc3339(const std::string& text) {
  static const std::regex pattern(
      R"(^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$)");
  return std::regex_match(text, pattern);
}

template <typename Enum>
std::vector<std::string> names_of(std::initializer_list<Enum> values) {
  std::vector<std::string> out;
  for (Enum v : values) out.push_back(ir::to_string(v));
  return out;
}

const std::vector<std::string>& type_names() {
  using T = ir::MigrationType;
  static const auto names = names_of({T::Schema, T::Data, T::Index, T::Function, T::Trigger,
                                      T::View, T::Extension, T::Permission});
  return names;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Shared pieces

std::string Transformer::word(Parser::WordContext* context) {
  return token_text(context->getStart());  // a word is one token
}

std::string Transformer::ident(Parser::IdentContext* context) {
  // One token: a "string", or a word.
  const antlr4::Token* token = context->getStart();
  if (token->getType() == Parser::STRING) return string_value(token);
  return token_text(token);
}

std::string Transformer::string_value(antlr4::tree::TerminalNode* node) {
  return string_value(node->getSymbol());
}

std::string Transformer::string_value(const antlr4::Token* token) {
  std::string error;
  auto value = decode_string(token_text(token), error);
  if (!value) {
    diagnostics_.error("dsl-syntax", tree_.at(token), "bad string: " + error);
    return {};
  }
  return *value;
}

std::string Transformer::dollar_text(antlr4::tree::TerminalNode* node) {
  std::string body;
  dollar_body(token_text(node), body);  // termination was checked before parsing
  return body;
}

std::string Transformer::sql_expression(Parser::SqlExpressionContext* context) {
  // One DOLLAR_TEXT token, or a parenText.
  if (context->getStart()->getType() == Parser::DOLLAR_TEXT) {
    std::string body;
    dollar_body(token_text(context->getStart()), body);  // termination was checked before parsing
    return body;
  }
  // Everything strictly between the outer parentheses, white space and comments included.
  std::string whole = tree_.text_between(context->getStart(), context->getStop());
  return whole.substr(1, whole.size() - 2);
}

template <typename Enum>
std::optional<Enum> Transformer::enumeration(Parser::WordContext* context,
                                             const std::vector<std::string>& names,
                                             const char* what) {
  std::string value = lower(word(context));
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == value) return static_cast<Enum>(i);
  std::string suggestion = closest_match(value, names);
  diagnostics_.error(
      "invalid-value", at(context),
      std::string("unknown ") + what + " `" + word(context) + "`; expected one of " + join(names),
      suggestion.empty() ? "" : "did you mean `" + suggestion + "`?");
  return std::nullopt;
}

std::optional<ir::Load> Transformer::load(Parser::LoadContext* context) {
  ir::Load out;
  out.location = at(context);
  out.file = {string_value(context->STRING()), at(context->STRING())};
  out.table = ident(context->ident());
  if (auto* mode = context->word()) {
    static const auto modes = names_of({ir::LoadConflict::Fail, ir::LoadConflict::Skip,
                                        ir::LoadConflict::Overwrite, ir::LoadConflict::Merge});
    auto conflict = enumeration<ir::LoadConflict>(mode, modes, "conflict mode");
    if (!conflict) return std::nullopt;
    out.on_conflict = *conflict;
  }
  return out;
}

std::optional<ir::Engine> Transformer::engine(Parser::WordContext* context, bool allow_universal) {
  std::string name = lower(word(context));
  if (auto engine = ir::engine_from_name(name)) return engine;
  std::vector<std::string> names = ir::engine_names();
  if (allow_universal) names.push_back("universal");
  std::string suggestion = closest_match(name, names);
  diagnostics_.error("unknown-engine", at(context),
                     "unknown database engine `" + word(context) + "`; expected " + join(names),
                     suggestion.empty() ? "" : "did you mean `" + suggestion + "`?");
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Files

FileContents Transformer::file() {
  for (auto* item : tree_.root()->fileItem()) {
    if (auto* plugin = as<Parser::PluginDeclContext>(item)) {
      if (!out_.plugin_id.empty()) {
        diagnostics_.error("dsl-duplicate", at(plugin),
                           "a file declares one plugin; `plugin` is given twice");
        continue;
      }
      out_.plugin_id = ident(plugin->ident());
      out_.plugin_location = at(plugin->ident());
    } else if (auto* use = as<Parser::UseDeclContext>(item)) {
      use_module(use);
    } else if (auto* group = as<Parser::GroupDeclContext>(item)) {
      Group g;
      g.name = ident(group->ident());
      g.location = at(group->ident());
      for (auto* column : group->columnDef()) g.columns.push_back(column_def(column));
      if (out_.groups.count(g.name)) {
        diagnostics_.error("dsl-duplicate", g.location,
                           "group `" + g.name + "` is declared twice in this file");
        continue;
      }
      out_.groups[g.name] = g;
      visible_groups_[g.name] = g;
    } else if (auto* decl = as<Parser::MigrationDeclContext>(item)) {
      if (out_.plugin_id.empty() && out_.migrations.empty())
        diagnostics_.error("dsl-missing-plugin", at(decl),
                           "a migration needs the `plugin` it belongs to, declared before it",
                           "start the file with `plugin acme.example`");
      out_.migrations.push_back(migration(decl));
    }
  }
  for (auto& m : out_.migrations) m.plugin_id = out_.plugin_id;
  return std::move(out_);
}

void Transformer::use_module(Parser::UseDeclContext* use) {
  const Groups* groups = nullptr;
  if (use->STRING()) {
    std::string path = string_value(use->STRING());
    if (!path.empty() && path[0] != '/') path = directory_of(tree_.file()) + path;
    groups = modules_.local(path, at(use->STRING()), diagnostics_);
  } else {
    groups = modules_.stdlib(word(use->word()), at(use->word()), diagnostics_);
  }
  if (!groups) return;
  for (const auto& [name, group] : *groups) visible_groups_[name] = group;
}

// ---------------------------------------------------------------------------------------------
// Migrations

ir::Migration Transformer::migration(Parser::MigrationDeclContext* decl) {
  ir::Migration m;
  auto* id = rule_child<Parser::IdentContext>(decl, Parser::RuleIdent);
  m.id = ident(id);
  m.location = at(id);
  m.automatic_down = true;  // until a `down` block is seen
  std::set<std::string> seen;
  for (auto* item : rule_children<Parser::MigrationItemContext>(decl, Parser::RuleMigrationItem))
    migration_item(item, m, seen);
  if (!seen.count("version"))
    diagnostics_.error("missing-field", at(decl), "migration `" + m.id + "` has no `version`",
                       "add a line like `version 1.0.0`");
  if (!seen.count("up"))
    diagnostics_.error("empty-up", at(decl), "migration `" + m.id + "` has no `up` block");
  if (!seen.count("name")) m.name = m.id;
  return m;
}

void Transformer::migration_item(Parser::MigrationItemContext* item, ir::Migration& m,
                                 std::set<std::string>& seen) {
  std::string key = lower(token_text(item->getStart()));
  if (!seen.insert(key).second) {
    diagnostics_.error("dsl-duplicate", at(item),
                       "`" + key + "` is given twice in migration `" + m.id + "`");
    return;
  }
  if (auto* v = as<Parser::VersionItemContext>(item)) {
    m.version_text = v->STRING() ? string_value(v->STRING()) : token_text(v->VERSION_NUMBER());
    std::string why;
    if (auto parsed = SemVer::parse(m.version_text, &why))
      m.version = *parsed;
    else
      diagnostics_.error("invalid-version", at(v->STRING() ? v->STRING() : v->VERSION_NUMBER()),
                         why);
  } else if (auto* n = as<Parser::NameItemContext>(item)) {
    m.name = string_value(n->STRING());
  } else if (auto* d = as<Parser::DescriptionItemContext>(item)) {
    m.description = string_value(d->STRING());
  } else if (auto* t = as<Parser::TypeItemContext>(item)) {
    if (auto type = enumeration<ir::MigrationType>(t->word(), type_names(), "migration type"))
      m.type = *type;
  } else if (auto* c = as<Parser::CategoryItemContext>(item)) {
    using C = ir::Category;
    static const auto names = names_of({C::Install, C::Upgrade, C::Patch, C::Feature,
                                        C::Performance, C::Security, C::Maintenance, C::Migration});
    if (auto category = enumeration<ir::Category>(c->word(), names, "category"))
      m.category = *category;
  } else if (auto* r = as<Parser::RiskItemContext>(item)) {
    using R = ir::RiskLevel;
    static const auto names = names_of({R::Low, R::Medium, R::High, R::Critical});
    if (auto risk = enumeration<ir::RiskLevel>(r->word(), names, "risk level"))
      m.risk_level = *risk;
  } else if (as<Parser::RequiresBackupItemContext>(item)) {
    m.requires_backup = true;
  } else if (as<Parser::NoBackupItemContext>(item)) {
    m.waive_backup = true;
  } else if (auto* e = as<Parser::EnginesItemContext>(item)) {
    for (auto* w : e->word()) {
      auto engine = this->engine(w, false);
      if (!engine) continue;
      if (std::find(m.database_engines.begin(), m.database_engines.end(), *engine) !=
          m.database_engines.end())
        diagnostics_.error("duplicate-engine", at(w),
                           "engine `" + lower(word(w)) + "` is listed twice");
      else
        m.database_engines.push_back(*engine);
    }
  } else if (auto* dep = as<Parser::DependsItemContext>(item)) {
    for (auto* i : dep->ident()) m.dependencies.push_back({ident(i), at(i)});
  } else if (auto* con = as<Parser::ConflictsItemContext>(item)) {
    for (auto* i : con->ident()) m.conflicts.push_back({ident(i), at(i)});
  } else if (auto* du = as<Parser::DurationItemContext>(item)) {
    std::string digits = token_text(du->INT());
    if (digits.size() > 18)
      diagnostics_.error("out-of-range", at(du->INT()), "the estimated duration is too large");
    else
      m.estimated_duration_seconds = std::stoll(digits);
  } else if (auto* cr = as<Parser::CreatedItemContext>(item)) {
    m.created_at = string_value(cr->STRING());
    if (!is_rfc3339(m.created_at))
      diagnostics_.error("invalid-value", at(cr->STRING()),
                         "`created at` is \"" + m.created_at +
                             "\"; expected an ISO-8601 date-time like 2024-05-01T12:00:00Z");
  } else if (auto* up = as<Parser::UpdatedItemContext>(item)) {
    m.updated_at = string_value(up->STRING());
    if (!is_rfc3339(m.updated_at))
      diagnostics_.error("invalid-value", at(up->STRING()),
                         "`updated at` is \"" + m.updated_at +
                             "\"; expected an ISO-8601 date-time like 2024-05-01T12:00:00Z");
  } else if (auto* u = as<Parser::UpBlockContext>(item)) {
    auto entries = rule_children<Parser::StepEntryContext>(u, Parser::RuleStepEntry);
    if (entries.empty())
      diagnostics_.error("empty-up", at(u), "a migration needs at least one up step");
    steps(entries, m.up);
  } else if (auto* d2 = as<Parser::DownBlockContext>(item)) {
    m.automatic_down = false;
    steps(rule_children<Parser::StepEntryContext>(d2, Parser::RuleStepEntry), m.down);
  }
}

// ---------------------------------------------------------------------------------------------
// Steps

void Transformer::steps(const std::vector<Parser::StepEntryContext*>& entries,
                        std::vector<ir::Step>& out) {
  std::set<std::string> ids;
  out.reserve(out.size() + entries.size());  // a Step is big: no moving them as the list grows
  for (auto* entry : entries) {
    if (auto* block = as<Parser::StepBlockContext>(entry)) {
      out.push_back(step_block(block));
      ids.insert(out.back().id);
      continue;
    }
    if (auto* bare_load = as<Parser::BareLoadContext>(entry)) {
      auto loaded = load(bare_load->load());
      if (!loaded) continue;
      ir::Step step;
      step.location = at(bare_load);
      step.id = bare_step_id(*loaded);
      step.name = bare_step_name(*loaded);
      for (int n = 2; ids.count(step.id); ++n)
        step.id = bare_step_id(*loaded) + "-" + std::to_string(n);
      step.load = std::move(loaded);
      ids.insert(step.id);
      out.push_back(std::move(step));
      continue;
    }
    auto* bare = as<Parser::BareChangeContext>(entry);
    auto change = this->change(rule_child<Parser::ChangeContext>(bare, Parser::RuleChange));
    if (!change) continue;
    ir::Step step;
    step.location = at(bare);
    step.id = bare_step_id(*change);
    step.name = bare_step_name(*change);
    // The same change written twice in one direction: number the later ones.
    for (int n = 2; ids.count(step.id); ++n)
      step.id = bare_step_id(*change) + "-" + std::to_string(n);
    step.change = std::move(change);
    ids.insert(step.id);
    out.push_back(std::move(step));
  }
}

ir::Step Transformer::step_block(Parser::StepBlockContext* block) {
  ir::Step step;
  step.location = at(block);
  step.id = ident(block->ident());
  step.name = block->STRING() ? string_value(block->STRING()) : step.id;
  std::set<std::string> seen;
  for (auto* item : block->stepItem()) step_item(item, step, seen);
  if (!step.sql && !step.transform && !step.change && !step.load && !seen.count("body"))
    diagnostics_.error("missing-field", at(block),
                       "step `" + step.id +
                           "` does nothing: give it `sql`, a `transform`, a "
                           "schema change or a `load`");
  return step;
}

void Transformer::step_item(Parser::StepItemContext* item, ir::Step& step,
                            std::set<std::string>& seen) {
  auto once = [&](const std::string& key) {
    if (seen.insert(key).second) return true;
    diagnostics_.error("dsl-duplicate", at(item),
                       "`" + key + "` is given twice in step `" + step.id + "`");
    return false;
  };
  // A step holds one body: SQL (one block per engine), a transform, or one schema change.
  auto body = [&](const std::string& kind) {
    if (!seen.count("body")) {
      seen.insert("body");
      seen.insert("body:" + kind);
      return true;
    }
    if (seen.count("body:" + kind) && kind == "sql") return true;
    diagnostics_.error("dsl-step-body", at(item),
                       "step `" + step.id +
                           "` already has a body; a step holds SQL, a transform, one schema "
                           "change or one load",
                       "split it into several steps");
    return false;
  };
  if (auto* t = as<Parser::StepTypeContext>(item)) {
    if (once("type"))
      if (auto type = enumeration<ir::MigrationType>(t->word(), type_names(), "step type"))
        step.type = *type;
  } else if (auto* d = as<Parser::StepDescriptionContext>(item)) {
    if (once("description")) step.description = string_value(d->STRING());
  } else if (as<Parser::StepNotTransactionalContext>(item)) {
    if (once("not transactional")) step.transactional = false;
  } else if (as<Parser::StepIrreversibleContext>(item)) {
    if (once("irreversible")) step.rollback_supported = false;
  } else if (as<Parser::StepSkipOnErrorContext>(item)) {
    if (once("skip on error")) step.skip_on_error = true;
  } else if (auto* to = as<Parser::StepTimeoutContext>(item)) {
    std::string digits = token_text(to->INT());
    if (once("timeout")) {
      if (digits.size() > 18 || std::stoll(digits) <= 0)
        diagnostics_.error("out-of-range", at(to->INT()),
                           "`timeout` must be a positive number of seconds");
      else
        step.timeout_seconds = std::stoll(digits);
    }
  } else if (auto* dep = as<Parser::StepDependsContext>(item)) {
    if (once("depends on"))
      for (auto* i : dep->ident()) step.dependencies.push_back({ident(i), at(i)});
  } else if (auto* v = as<Parser::StepValidationContext>(item)) {
    auto& target = v->BEFORE() ? step.pre_validation : step.post_validation;
    if (!target) target = ir::EngineSql{{}, std::nullopt, at(v)};
    std::optional<ir::Engine> engine;
    if (v->word() && lower(word(v->word())) != "universal") {
      engine = this->engine(v->word(), true);
      if (!engine) return;
    }
    ir::LocatedText text{dollar_text(v->DOLLAR_TEXT()), at(v->DOLLAR_TEXT())};
    bool duplicate =
        engine ? !target->by_engine.emplace(*engine, text).second : target->universal.has_value();
    if (!engine && !duplicate) target->universal = text;
    if (duplicate)
      diagnostics_.error("dsl-duplicate", at(v),
                         "this validation SQL is given twice for " +
                             std::string(engine ? ir::engine_name(*engine) : "every engine"));
  } else if (auto* e = as<Parser::StepExpectContext>(item)) {
    for (auto* x : e->expectation()) {
      std::string key = lower(token_text(x->getStart()));
      if (!once("expect " + key)) continue;
      std::string digits = token_text(x->INT());
      if (digits.size() > 18) {
        diagnostics_.error("out-of-range", at(x->INT()), "the number is too large");
        continue;
      }
      auto& slot = key == "rows"     ? step.expected_changes.rows
                   : key == "tables" ? step.expected_changes.tables
                                     : step.expected_changes.indexes;
      slot = std::stoll(digits);
    }
  } else if (auto* s = as<Parser::StepSqlContext>(item)) {
    if (!body("sql")) return;
    if (!step.sql) step.sql = ir::EngineSql{{}, std::nullopt, at(s)};
    std::optional<ir::Engine> engine;
    if (s->word() && lower(word(s->word())) != "universal") {
      engine = this->engine(s->word(), true);
      if (!engine) return;
    }
    ir::LocatedText text{dollar_text(s->DOLLAR_TEXT()), at(s->DOLLAR_TEXT())};
    bool duplicate = engine ? !step.sql->by_engine.emplace(*engine, text).second
                            : step.sql->universal.has_value();
    if (!engine && !duplicate) step.sql->universal = text;
    if (duplicate)
      diagnostics_.error("dsl-duplicate", at(s),
                         "step `" + step.id + "` has two SQL blocks for " +
                             std::string(engine ? ir::engine_name(*engine) : "every engine"),
                         "write one `sql` block per engine, and at most one without an engine");
  } else if (auto* tr = as<Parser::StepTransformContext>(item)) {
    if (body("transform")) step.transform = transform(tr);
  } else if (auto* c = as<Parser::StepChangeContext>(item)) {
    if (body("change")) step.change = change(c->change());
  } else if (auto* l = as<Parser::StepLoadContext>(item)) {
    if (body("load")) step.load = load(l->load());
  }
}

// ---------------------------------------------------------------------------------------------
// Modules

const Groups* ModuleLoader::stdlib(const std::string& name, const SourceLocation& at,
                                   Diagnostics& diagnostics) {
  auto module = find_stdlib_module(name);
  if (!module) {
    std::string suggestion = closest_match(name, stdlib_module_names());
    diagnostics.error(
        "dsl-unknown-module", at,
        "no stdlib module `" + name + "`; the stdlib has " + join(stdlib_module_names()),
        suggestion.empty() ? "to use a file of your own, write `use \"file.mig\"`"
                           : "did you mean `" + suggestion + "`?");
    return nullptr;
  }
  return load("stdlib:" + name, module->path.empty() ? module->label : module->path, module->text,
              at, diagnostics);
}

const Groups* ModuleLoader::local(const std::string& path, const SourceLocation& at,
                                  Diagnostics& diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.error("dsl-unknown-module", at, "cannot read used file " + path);
    return nullptr;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load(path, path, text.str(), at, diagnostics);
}

const Groups* ModuleLoader::load(const std::string& key, const std::string& label,
                                 const std::string& text, const SourceLocation& at,
                                 Diagnostics& diagnostics) {
  if (std::find(loading_.begin(), loading_.end(), key) != loading_.end()) {
    std::string chain;
    for (const auto& k : loading_) chain += k + " -> ";
    diagnostics.error("dsl-use-cycle", at, "`use` forms a cycle: " + chain + key);
    return nullptr;
  }
  auto cached = loaded_.find(key);
  if (cached != loaded_.end()) return &cached->second;
  auto tree = parse_syntax(text, label, diagnostics);
  if (!tree) return nullptr;
  loading_.push_back(key);
  FileContents contents = Transformer(*tree, *this, diagnostics).file();
  loading_.pop_back();
  if (!contents.plugin_id.empty() || !contents.migrations.empty())
    diagnostics.error("dsl-module-content", at,
                      "used file " + label +
                          " declares a plugin or migrations; a used file "
                          "may only declare groups (and use others)");
  return &(loaded_[key] = std::move(contents.groups));
}

}  // namespace migpkg::dsl
