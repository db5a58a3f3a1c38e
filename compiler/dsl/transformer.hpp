#pragma once
// Turns a parse tree into IR, one small function per grammar rule (the generated visitor and
// its antlrcpp::Any are not used: every function returns a typed value). Shared by
// transform_file.cpp (files, migrations, steps), transform_change.cpp (schema changes) and
// transform_data.cpp (transforms, literals). Internal to compiler/dsl/.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <typeinfo>
#include <vector>

#include "compiler/dsl/syntax.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg::dsl {

// Whether `node`'s dynamic type is T, by the address of the type_info objects. Every class
// compared here has a key function (an out-of-line virtual member: the generated contexts'
// accept, in the parser library linked statically; TerminalNodeImpl's, in the ANTLR runtime),
// so the Itanium C++ ABI emits its type_info once, with the key function, and every typeid of
// it is that one object. Unlike
// type_info::operator==, which falls back to a strcmp of the long mangled names whenever the
// types differ (most comparisons here), this is one pointer comparison.
template <typename T, typename Node>
bool is_exactly(const Node& node) {
  return &typeid(node) == &typeid(T);
}

// The labelled alternative a context is, or nullptr. Generated alternative contexts are leaf
// classes, so comparing the dynamic type is exact, and much cheaper than dynamic_cast (which
// showed up in profiles of 10,000-migration files).
template <typename T, typename Context>
T* as(Context* context) {
  return context && is_exactly<T>(*context) ? static_cast<T*>(context) : nullptr;
}

// A context's children, found without the generated accessors (getRuleContexts, getToken),
// which dynamic_cast every child on every call and showed up in profiles too. A child is a
// terminal node or a rule context: the transformer only sees trees parsed without errors, so
// there are no error nodes.
inline bool is_terminal(antlr4::tree::ParseTree* node) {
  return is_exactly<antlr4::tree::TerminalNodeImpl>(*node);
}

// The children that are contexts of rule `rule` (Parser::RuleIdent, ...), as T (that rule's
// context class, which its labelled alternatives derive from).
template <typename T>
std::vector<T*> rule_children(antlr4::ParserRuleContext* context, std::size_t rule) {
  std::vector<T*> out;
  for (antlr4::tree::ParseTree* child : context->children)
    if (!is_terminal(child) && static_cast<antlr4::RuleContext*>(child)->getRuleIndex() == rule)
      out.push_back(static_cast<T*>(child));
  return out;
}

// The `index`-th child context of rule `rule`, or nullptr.
template <typename T>
T* rule_child(antlr4::ParserRuleContext* context, std::size_t rule, std::size_t index = 0) {
  for (antlr4::tree::ParseTree* child : context->children)
    if (!is_terminal(child) && static_cast<antlr4::RuleContext*>(child)->getRuleIndex() == rule &&
        index-- == 0)
      return static_cast<T*>(child);
  return nullptr;
}

// The `index`-th child token of type `type`, or nullptr.
inline antlr4::tree::TerminalNode* token_child(antlr4::ParserRuleContext* context, std::size_t type,
                                               std::size_t index = 0) {
  for (antlr4::tree::ParseTree* child : context->children) {
    if (!is_terminal(child)) continue;
    auto* node = static_cast<antlr4::tree::TerminalNode*>(child);
    if (node->getSymbol()->getType() == type && index-- == 0) return node;
  }
  return nullptr;
}

// A column as declared, with its column-level constraints (columns = {the column}), before the
// table it goes into is known.
struct ColumnSpec {
  ir::Column column;
  std::vector<ir::Constraint> constraints;
};

// A reusable column group: `group timestamps (created_at ..., updated_at ...)`.
struct Group {
  std::string name;
  std::vector<ColumnSpec> columns;
  SourceLocation location;
};
using Groups = std::map<std::string, Group>;

// What one file declares.
struct FileContents {
  std::string plugin_id;
  SourceLocation plugin_location;
  std::vector<ir::Migration> migrations;
  Groups groups;
};

class ModuleLoader;

class Transformer {
 public:
  Transformer(const SyntaxTree& tree, ModuleLoader& modules, Diagnostics& diagnostics)
      : tree_(tree), modules_(modules), diagnostics_(diagnostics) {}
  FileContents file();

 private:
  // transform_file.cpp
  void use_module(Parser::UseDeclContext* use);
  ir::Migration migration(Parser::MigrationDeclContext* decl);
  void migration_item(Parser::MigrationItemContext* item, ir::Migration& m,
                      std::set<std::string>& seen);
  void steps(const std::vector<Parser::StepEntryContext*>& entries, std::vector<ir::Step>& out);
  ir::Step step_block(Parser::StepBlockContext* block);
  void step_item(Parser::StepItemContext* item, ir::Step& step, std::set<std::string>& seen);
  template <typename Enum>
  std::optional<Enum> enumeration(Parser::WordContext* word, const std::vector<std::string>& names,
                                  const char* what);
  std::optional<ir::Engine> engine(Parser::WordContext* word, bool allow_universal);
  std::optional<ir::Load> load(Parser::LoadContext* context);

  // transform_change.cpp
  std::optional<ir::SchemaChange> change(Parser::ChangeContext* context);
  ColumnSpec column_def(Parser::ColumnDefContext* context);
  std::optional<ir::ColumnType> type_ref(Parser::TypeRefContext* context);
  std::optional<ir::ColumnDefault> default_value(Parser::DefaultValueContext* context);
  ir::Constraint table_constraint(Parser::TableConstraintContext* context);
  void references(Parser::ReferencesContext* context, ir::Constraint& constraint);
  std::vector<std::string> column_list(Parser::ColumnListContext* context);
  void create_table_items(Parser::CreateTableContext* context, ir::SchemaChange& change);
  void alter_action(Parser::AlterActionContext* action, ir::SchemaChange& change);

  // transform_data.cpp
  std::optional<ir::Transform> transform(Parser::StepTransformContext* context);
  std::optional<ir::ValueTransform> value_transform(Parser::ValueTransformContext* context);
  void with_parameters(Parser::WithParametersContext* context, ir::ValueTransform& out);
  std::optional<ir::Literal> literal(Parser::LiteralContext* context);

 public:
  // Shared pieces (transform_file.cpp).
  std::string ident(Parser::IdentContext* context);
  std::string word(Parser::WordContext* context);
  // A token's text, sliced from the source (RuleContext::getText builds it through a
  // stringstream, and the input stream's getText converts from UTF-32).
  std::string token_text(const antlr4::Token* token) const {
    return tree_.text_between(token, token);
  }
  std::string token_text(antlr4::tree::TerminalNode* node) const {
    return token_text(node->getSymbol());
  }
  std::string string_value(antlr4::tree::TerminalNode* node);
  std::string string_value(const antlr4::Token* token);
  std::string dollar_text(antlr4::tree::TerminalNode* node);
  std::string sql_expression(Parser::SqlExpressionContext* context);
  SourceLocation at(antlr4::ParserRuleContext* context) const { return tree_.at(context); }
  SourceLocation at(antlr4::tree::TerminalNode* node) const { return tree_.at(node->getSymbol()); }

 private:
  const SyntaxTree& tree_;
  ModuleLoader& modules_;
  Diagnostics& diagnostics_;
  Groups visible_groups_;  // declared in this file or in a module it uses
  FileContents out_;
};

// Resolves `use`: stdlib modules by name, local files by path relative to the using file.
// Each module is loaded once; cycles and missing files are reported at the `use`.
class ModuleLoader {
 public:
  // The groups a module declares, or nullptr after reporting why it cannot be used.
  const Groups* stdlib(const std::string& name, const SourceLocation& at, Diagnostics& diagnostics);
  const Groups* local(const std::string& path, const SourceLocation& at, Diagnostics& diagnostics);

 private:
  const Groups* load(const std::string& key, const std::string& label, const std::string& text,
                     const SourceLocation& at, Diagnostics& diagnostics);
  std::map<std::string, Groups> loaded_;
  std::vector<std::string> loading_;  // the chain of modules being loaded, for cycles
};

}  // namespace migpkg::dsl
