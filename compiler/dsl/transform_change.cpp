// Declarative schema changes: tables, columns, constraints, indexes, views, extensions,
// comments. Column-level constraints become table-level ones here, as the IR wants.
#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "compiler/dsl/dsl_text.hpp"
#include "compiler/dsl/stdlib_modules.hpp"
#include "compiler/dsl/transformer.hpp"
#include "compiler/schema/naming.hpp"
#include "compiler/schema/type_names.hpp"

namespace migpkg::dsl {
namespace {

using Kind = ir::SchemaChange::Kind;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Nesting depth of a JSON text (outside strings): refused above the JSON front end's limit
// before nlohmann's recursive writer sees it.
std::size_t json_depth(const std::string& text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

ir::ReferentialAction action_kind(Parser::ActionKindContext* context) {
  // CASCADE | RESTRICT | SET NULL_KW | SET DEFAULT | NO ACTION: the first and last tokens tell.
  switch (context->getStart()->getType()) {
    case Parser::CASCADE:
      return ir::ReferentialAction::Cascade;
    case Parser::RESTRICT:
      return ir::ReferentialAction::Restrict;
    case Parser::SET:
      return context->getStop()->getType() == Parser::NULL_KW ? ir::ReferentialAction::SetNull
                                                              : ir::ReferentialAction::SetDefault;
    default:
      return ir::ReferentialAction::NoAction;
  }
}

}  // namespace

std::vector<std::string> Transformer::column_list(Parser::ColumnListContext* context) {
  std::vector<std::string> columns;
  for (auto* i : rule_children<Parser::IdentContext>(context, Parser::RuleIdent)) {
    std::string name = ident(i);
    if (std::find(columns.begin(), columns.end(), name) != columns.end())
      diagnostics_.error("dsl-duplicate", at(i), "column `" + name + "` is listed twice");
    columns.push_back(name);
  }
  return columns;
}

void Transformer::references(Parser::ReferencesContext* context, ir::Constraint& constraint) {
  constraint.ref_table = ident(rule_child<Parser::IdentContext>(context, Parser::RuleIdent));
  constraint.ref_columns =
      column_list(rule_child<Parser::ColumnListContext>(context, Parser::RuleColumnList));
  bool seen_delete = false, seen_update = false;
  for (auto* action :
       rule_children<Parser::ReferentialActionContext>(context, Parser::RuleReferentialAction)) {
    bool on_delete = token_child(action, Parser::DELETE) != nullptr;
    bool& seen = on_delete ? seen_delete : seen_update;
    if (seen)
      diagnostics_.error(
          "dsl-duplicate", at(action),
          std::string("`on ") + (on_delete ? "delete" : "update") + "` is given twice");
    seen = true;
    (on_delete ? constraint.on_delete : constraint.on_update) =
        action_kind(rule_child<Parser::ActionKindContext>(action, Parser::RuleActionKind));
  }
}

std::optional<ir::ColumnType> Transformer::type_ref(Parser::TypeRefContext* context) {
  // The DSL spells types like the JSON front end (`string(255)`, `enum("a", "b")` or
  // `enum('a', 'b')`): one parser, compiler/schema/type_names, decides for both.
  std::string text = token_text(context->getStart());  // the type's word
  auto arguments = rule_children<Parser::TypeArgumentContext>(context, Parser::RuleTypeArgument);
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const antlr4::Token* argument = arguments[i]->getStart();  // INT | STRING | SQL_STRING | word
    text += i ? "," : "(";
    if (argument->getType() == Parser::INT || argument->getType() == Parser::SQL_STRING)
      text += token_text(argument);
    else
      text += quote_sql_string(argument->getType() == Parser::STRING ? string_value(argument)
                                                                     : token_text(argument));
  }
  if (!arguments.empty()) text += ")";
  schema::TypeNameError error;
  auto type = schema::parse_type_name(text, &error);
  if (!type) {
    diagnostics_.error("dsl-unknown-type", at(context), error.message, error.hint);
    return std::nullopt;
  }
  type->location = at(context);
  return type;
}

std::optional<ir::ColumnDefault> Transformer::default_value(Parser::DefaultValueContext* context) {
  ir::ColumnDefault value;
  value.location = at(context);
  if (auto* l = as<Parser::LiteralDefaultContext>(context)) {
    auto parsed = literal(l->literal());
    if (!parsed) return std::nullopt;
    value.kind = ir::ColumnDefault::Kind::Literal;
    value.literal = *parsed;
  } else if (auto* f = as<Parser::FunctionDefaultContext>(context)) {
    std::string name = lower(word(f->word()));
    if (name == "now") {
      value.kind = ir::ColumnDefault::Kind::Now;
    } else if (name == "uuid") {
      value.kind = ir::ColumnDefault::Kind::Uuid;
    } else {
      std::string suggestion = closest_match(name, {"now", "uuid"});
      diagnostics_.error("dsl-unknown-function", at(f),
                         "unknown default function `" + word(f->word()) +
                             "()`; portable defaults are now() and uuid()",
                         suggestion.empty() ? "for SQL of your own, write `default (expression)`"
                                            : "did you mean `" + suggestion + "()`?");
      return std::nullopt;
    }
  } else if (auto* j = as<Parser::JsonDefaultContext>(context)) {
    std::string text = decode_sql_string(token_text(j->SQL_STRING()));
    if (json_depth(text) > 64) {
      diagnostics_.error("too-deep", at(j->SQL_STRING()),
                         "JSON default nests deeper than 64 levels");
      return std::nullopt;
    }
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded()) {
      diagnostics_.error("invalid-value", at(j->SQL_STRING()), "the JSON default is not valid JSON",
                         "write it in single quotes, as in json '{\"a\": 1}'");
      return std::nullopt;
    }
    value.kind = ir::ColumnDefault::Kind::Json;
    value.text = parsed.dump();
  } else if (auto* e = as<Parser::ExpressionDefaultContext>(context)) {
    value.kind = ir::ColumnDefault::Kind::Expression;
    value.text = sql_expression(e->sqlExpression());
  }
  return value;
}

ColumnSpec Transformer::column_def(Parser::ColumnDefContext* context) {
  ColumnSpec spec;
  ir::Column& column = spec.column;
  auto* column_name = rule_child<Parser::IdentContext>(context, Parser::RuleIdent);
  column.name = ident(column_name);
  column.location = at(column_name);
  if (auto type = type_ref(rule_child<Parser::TypeRefContext>(context, Parser::RuleTypeRef)))
    column.type = *type;
  bool seen_null = false, seen_default = false, seen_comment = false;
  for (auto* option :
       rule_children<Parser::ColumnOptionContext>(context, Parser::RuleColumnOption)) {
    // `constraint NAME` comes first when given.
    auto constraint_name = [&] {
      return option->getStart()->getType() == Parser::CONSTRAINT
                 ? ident(rule_child<Parser::IdentContext>(option, Parser::RuleIdent))
                 : std::string();
    };
    auto constraint = [&](ir::Constraint::Kind kind, const std::string& name) {
      ir::Constraint c;
      c.kind = kind;
      c.name = name;
      c.columns = {column.name};
      c.location = at(option);
      return c;
    };
    if (as<Parser::NotNullOptionContext>(option) || as<Parser::NullOptionContext>(option)) {
      if (seen_null)
        diagnostics_.error("dsl-duplicate", at(option),
                           "column `" + column.name + "` says `null` or `not null` twice");
      seen_null = true;
      column.nullable = as<Parser::NullOptionContext>(option) != nullptr;
    } else if (auto* d = as<Parser::DefaultOptionContext>(option)) {
      if (seen_default)
        diagnostics_.error("dsl-duplicate", at(option),
                           "column `" + column.name + "` has two defaults");
      seen_default = true;
      column.default_value =
          default_value(rule_child<Parser::DefaultValueContext>(d, Parser::RuleDefaultValue));
    } else if (auto* c = as<Parser::CommentOptionContext>(option)) {
      if (seen_comment)
        diagnostics_.error("dsl-duplicate", at(option),
                           "column `" + column.name + "` has two comments");
      seen_comment = true;
      column.comment = string_value(c->STRING());
    } else if (as<Parser::PrimaryKeyOptionContext>(option)) {
      spec.constraints.push_back(constraint(ir::Constraint::Kind::PrimaryKey, constraint_name()));
    } else if (as<Parser::UniqueOptionContext>(option)) {
      spec.constraints.push_back(constraint(ir::Constraint::Kind::Unique, constraint_name()));
    } else if (auto* r = as<Parser::ReferencesOptionContext>(option)) {
      auto fk = constraint(ir::Constraint::Kind::ForeignKey, constraint_name());
      references(rule_child<Parser::ReferencesContext>(r, Parser::RuleReferences), fk);
      spec.constraints.push_back(fk);
    } else if (auto* ch = as<Parser::CheckOptionContext>(option)) {
      auto check = constraint(ir::Constraint::Kind::Check, constraint_name());
      check.columns.clear();
      check.check =
          sql_expression(rule_child<Parser::SqlExpressionContext>(ch, Parser::RuleSqlExpression));
      spec.constraints.push_back(check);
    }
  }
  return spec;
}

ir::Constraint Transformer::table_constraint(Parser::TableConstraintContext* context) {
  ir::Constraint c;
  c.location = at(context);
  auto name = [&](antlr4::tree::TerminalNode* keyword, Parser::IdentContext* id) {
    if (keyword && id) c.name = ident(id);
  };
  if (auto* pk = as<Parser::PrimaryKeyConstraintContext>(context)) {
    c.kind = ir::Constraint::Kind::PrimaryKey;
    name(pk->CONSTRAINT(), pk->ident());
    c.columns = column_list(pk->columnList());
  } else if (auto* u = as<Parser::UniqueConstraintContext>(context)) {
    c.kind = ir::Constraint::Kind::Unique;
    name(u->CONSTRAINT(), u->ident());
    c.columns = column_list(u->columnList());
  } else if (auto* fk = as<Parser::ForeignKeyConstraintContext>(context)) {
    c.kind = ir::Constraint::Kind::ForeignKey;
    name(fk->CONSTRAINT(), fk->ident());
    c.columns = column_list(fk->columnList());
    references(fk->references(), c);
    if (c.columns.size() != c.ref_columns.size())
      diagnostics_.error("dsl-foreign-key", at(fk->references()),
                         "the foreign key has " + std::to_string(c.columns.size()) +
                             " column(s) but references " + std::to_string(c.ref_columns.size()));
  } else if (auto* ch = as<Parser::CheckConstraintContext>(context)) {
    c.kind = ir::Constraint::Kind::Check;
    name(ch->CONSTRAINT(), ch->ident());
    c.check = sql_expression(ch->sqlExpression());
  }
  return c;
}

void Transformer::create_table_items(Parser::CreateTableContext* context,
                                     ir::SchemaChange& change) {
  bool seen_comment = false;
  auto add_column = [&](ColumnSpec spec, const SourceLocation& where) {
    for (const auto& existing : change.columns)
      if (existing.name == spec.column.name) {
        diagnostics_.error(
            "dsl-duplicate", where,
            "table `" + change.table + "` has two columns named `" + spec.column.name + "`");
        return;
      }
    change.columns.push_back(std::move(spec.column));
    for (auto& c : spec.constraints) change.constraints.push_back(std::move(c));
  };
  auto items = rule_children<Parser::TableItemContext>(context, Parser::RuleTableItem);
  change.columns.reserve(items.size());  // a Column is big: no moving them as the list grows
  for (auto* item : items) {
    if (auto* column = as<Parser::ColumnItemContext>(item)) {
      // One child: the columnDef.
      add_column(column_def(static_cast<Parser::ColumnDefContext*>(column->children[0])),
                 at(column));
    } else if (auto* constraint = as<Parser::ConstraintItemContext>(item)) {
      change.constraints.push_back(table_constraint(constraint->tableConstraint()));
    } else if (auto* comment = as<Parser::TableCommentItemContext>(item)) {
      if (seen_comment)
        diagnostics_.error("dsl-duplicate", at(item),
                           "table `" + change.table + "` has two comments");
      seen_comment = true;
      change.comment = string_value(comment->STRING());
    } else if (auto* use = as<Parser::UseGroupItemContext>(item)) {
      std::string name = word(use->word());
      auto group = visible_groups_.find(name);
      if (group == visible_groups_.end()) {
        std::vector<std::string> names;
        for (const auto& [n, g] : visible_groups_) names.push_back(n);
        std::string suggestion = closest_match(name, names);
        std::string hint = !suggestion.empty() ? "did you mean `" + suggestion + "`?" : "";
        auto modules = stdlib_module_names();
        if (hint.empty() && std::find(modules.begin(), modules.end(), name) != modules.end())
          hint = "the stdlib module `" + name + "` declares it: add `use " + name +
                 "` at the top of the file";
        diagnostics_.error("dsl-unknown-group", at(use->word()),
                           "no column group `" + name + "` is declared or used in this file", hint);
        continue;
      }
      // The group's columns are located at the `use`, where the author can act on them.
      for (ColumnSpec spec : group->second.columns) {
        spec.column.location = at(use);
        for (auto& c : spec.constraints) c.location = at(use);
        add_column(std::move(spec), at(use));
      }
    }
  }
  int primary_keys = 0;
  for (const auto& c : change.constraints)
    if (c.kind == ir::Constraint::Kind::PrimaryKey && ++primary_keys == 2)
      diagnostics_.error("dsl-duplicate", c.location,
                         "table `" + change.table + "` has a second primary key",
                         "for a key of several columns write `primary key (a, b)`");
}

void Transformer::alter_action(Parser::AlterActionContext* action, ir::SchemaChange& change) {
  auto twice = [&](bool already) {
    if (already)
      diagnostics_.error("dsl-duplicate", at(action),
                         "column `" + change.column + "` is altered twice in the same way");
    return already;
  };
  if (auto* t = as<Parser::SetTypeActionContext>(action)) {
    if (!twice(change.set_type.has_value())) change.set_type = type_ref(t->typeRef());
  } else if (as<Parser::SetNotNullActionContext>(action)) {
    if (!twice(change.set_nullable.has_value())) change.set_nullable = false;
  } else if (as<Parser::DropNotNullActionContext>(action)) {
    if (!twice(change.set_nullable.has_value())) change.set_nullable = true;
  } else if (auto* d = as<Parser::SetDefaultActionContext>(action)) {
    if (!twice(change.set_default.has_value() || change.drop_default))
      change.set_default = default_value(d->defaultValue());
  } else if (as<Parser::DropDefaultActionContext>(action)) {
    if (!twice(change.set_default.has_value() || change.drop_default)) change.drop_default = true;
  }
}

std::optional<ir::SchemaChange> Transformer::change(Parser::ChangeContext* context) {
  ir::SchemaChange c;
  c.location = at(context);
  if (auto* c1 = as<Parser::CreateTableContext>(context)) {
    c.kind = Kind::CreateTable;
    c.table = ident(rule_child<Parser::IdentContext>(c1, Parser::RuleIdent));
    create_table_items(c1, c);
  } else if (auto* c2 = as<Parser::DropTableContext>(context)) {
    c.kind = Kind::DropTable;
    c.table = ident(c2->ident());
  } else if (auto* c3 = as<Parser::RenameTableContext>(context)) {
    c.kind = Kind::RenameTable;
    c.table = ident(c3->ident(0));
    c.new_name = ident(c3->ident(1));
  } else if (auto* c4 = as<Parser::AddColumnContext>(context)) {
    c.kind = Kind::AddColumn;
    c.table = ident(rule_child<Parser::IdentContext>(c4, Parser::RuleIdent, 0));
    if (token_child(c4, Parser::AFTER))
      c.after_column = ident(rule_child<Parser::IdentContext>(c4, Parser::RuleIdent, 1));
    if (token_child(c4, Parser::FIRST)) c.after_column = "";  // the IR's "first"
    ColumnSpec spec = column_def(rule_child<Parser::ColumnDefContext>(c4, Parser::RuleColumnDef));
    c.columns.push_back(std::move(spec.column));
    // An added column's constraint is a change of its own (portable-migration-v1 has no
    // constraints on add_column, and SQLite adds most of them only by rebuilding the table).
    for (const auto& constraint : spec.constraints)
      diagnostics_.error("dsl-column-constraint", constraint.location,
                         "a constraint on an added column is a change of its own",
                         "write it as `alter table " + c.table +
                             " add ...` (primary key, unique, foreign key or check) after "
                             "adding the column");
  } else if (auto* c5 = as<Parser::DropColumnContext>(context)) {
    c.kind = Kind::DropColumn;
    c.table = ident(c5->ident(0));
    c.column = ident(c5->ident(1));
  } else if (auto* c6 = as<Parser::RenameColumnContext>(context)) {
    c.kind = Kind::RenameColumn;
    c.table = ident(c6->ident(0));
    c.column = ident(c6->ident(1));
    c.new_name = ident(c6->ident(2));
  } else if (auto* c7 = as<Parser::AlterColumnContext>(context)) {
    c.kind = Kind::AlterColumn;
    c.table = ident(c7->ident(0));
    c.column = ident(c7->ident(1));
    for (auto* action : c7->alterAction()) alter_action(action, c);
  } else if (auto* c8 = as<Parser::AddConstraintContext>(context)) {
    c.kind = Kind::AddConstraint;
    c.table = ident(c8->ident());
    c.constraints.push_back(table_constraint(c8->tableConstraint()));
  } else if (auto* c9 = as<Parser::DropConstraintContext>(context)) {
    c.kind = Kind::DropConstraint;
    c.table = ident(c9->ident(0));
    c.constraint_name = ident(c9->ident(1));
  } else if (auto* c10 = as<Parser::CreateIndexContext>(context)) {
    c.kind = Kind::CreateIndex;
    auto names = rule_children<Parser::IdentContext>(c10, Parser::RuleIdent);
    if (names.size() == 2) c.index.name = ident(names[0]);
    c.index.table = ident(names.back());
    c.index.columns =
        column_list(rule_child<Parser::ColumnListContext>(c10, Parser::RuleColumnList));
    c.index.unique = token_child(c10, Parser::UNIQUE) != nullptr;
    if (auto* where = rule_child<Parser::SqlExpressionContext>(c10, Parser::RuleSqlExpression))
      c.index.where = sql_expression(where);
    c.index.location = c.location;
    c.table = c.index.table;
  } else if (auto* c11 = as<Parser::DropIndexContext>(context)) {
    c.kind = Kind::DropIndex;
    c.index.name = ident(c11->ident(0));
    if (c11->ident().size() == 2) c.index.table = ident(c11->ident(1));
    c.index.location = c.location;
    c.table = c.index.table;
  } else if (auto* c12 = as<Parser::CreateViewContext>(context)) {
    c.kind = Kind::CreateView;
    c.view.name = ident(c12->ident());
    c.view.query = sql_expression(c12->sqlExpression());
    c.view.location = c.location;
  } else if (auto* c13 = as<Parser::DropViewContext>(context)) {
    c.kind = Kind::DropView;
    c.view.name = ident(c13->ident());
    c.view.location = c.location;
  } else if (auto* c14 = as<Parser::CreateExtensionContext>(context)) {
    c.kind = Kind::CreateExtension;
    c.extension = ident(c14->ident());
  } else if (auto* c15 = as<Parser::DropExtensionContext>(context)) {
    c.kind = Kind::DropExtension;
    c.extension = ident(c15->ident());
  } else if (auto* c16 = as<Parser::CommentOnTableContext>(context)) {
    c.kind = Kind::SetComment;
    c.table = ident(c16->ident());
    if (c16->STRING()) c.comment = string_value(c16->STRING());
  } else if (auto* c17 = as<Parser::CommentOnColumnContext>(context)) {
    c.kind = Kind::SetComment;
    if (c17->ident().size() == 2) {
      c.table = ident(c17->ident(0));
      c.column = ident(c17->ident(1));
    } else {
      // `table.column` lexes as one name: the column is after the last dot.
      std::string both = ident(c17->ident(0));
      auto dot = both.rfind('.');
      if (dot == std::string::npos) {
        diagnostics_.error("dsl-syntax", at(c17->ident(0)),
                           "name the column as table.column, as in `comment on column "
                           "users.email is \"...\"`");
        return std::nullopt;
      }
      c.table = both.substr(0, dot);
      c.column = both.substr(dot + 1);
    }
    if (c17->STRING()) c.comment = string_value(c17->STRING());
  }
  schema::normalize(c);  // default constraint and index names, shared with the JSON front end
  return c;
}

}  // namespace migpkg::dsl
