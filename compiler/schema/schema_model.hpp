#pragma once
// What the compiler knows of the database schema at one point of a plugin's history: the
// tables (columns, constraints, indexes, comments), views and extensions that declarative
// changes created. Replaying changes in plan order gives the schema before every change, which
// the SQLite table rebuild, MySQL's full-column MODIFY and the automatic down steps need.
//
// Raw SQL and transforms are opaque: once one has run, a table the model does not know may
// have been created by it. Such a table is "external": changes to it are allowed but not
// checked, and what needs its structure (a rebuild, the automatic down of a drop) is an error.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/schema_change.hpp"

namespace migpkg::schema {

struct Table {
  std::string name;
  std::vector<ir::Column> columns;
  std::vector<ir::Constraint> constraints;
  std::vector<ir::Index> indexes;
  std::string comment;

  const ir::Column* find_column(const std::string& column) const;
  ir::Column* find_column(const std::string& column);
  const ir::Constraint* find_constraint(const std::string& constraint) const;
  const ir::Constraint* primary_key() const;
  std::vector<std::string> column_names() const;
};

class SchemaModel {
 public:
  const Table* find_table(const std::string& name) const;
  Table* find_table(const std::string& name);
  // The table that holds the index, or nullptr.
  const Table* table_of_index(const std::string& index) const;
  const ir::View* find_view(const std::string& name) const;
  std::vector<std::string> index_names() const;
  bool has_extension(const std::string& name) const;

  // A raw SQL or transform step ran, or a migration builds on one outside the run (another
  // plugin, or one already installed): unknown tables may exist from now on.
  void note_raw_sql() { raw_sql_seen_ = true; }
  bool raw_sql_seen() const { return raw_sql_seen_; }

  // Applies the change. Problems (unknown or existing table, column, constraint, index, view)
  // are errors at the change's location, prefixed with `context` ("migration \"m\" step \"s\"").
  // Returns false when the change could not be applied; the model is then unchanged.
  bool apply(const ir::SchemaChange& change, const std::string& context, Diagnostics& diagnostics);

  // Changes applied between begin_scratch() and end_scratch() are taken back by end_scratch():
  // how a migration's down steps are replayed on the schema its up steps left, without copying
  // the model. Scratch scopes nest.
  void begin_scratch();
  void end_scratch();

  // The named table as the change would leave it, worked out on a copy of that table alone
  // (the change was checked against the whole model when it was replayed); nullopt when the
  // table is unknown or the change does not apply to it.
  std::optional<Table> table_after(const ir::SchemaChange& change) const;

 private:
  // What a scope needs to take its changes back: the tables it touched as they were before
  // (by name; a name without a saved table did not exist), and the views,
  // extensions and raw-SQL flag. Only touched tables are copied, so applying a change costs
  // what it touches, not the size of the schema.
  struct Undo {
    std::vector<std::string> names;
    std::vector<Table> saved;
    std::vector<ir::View> views;
    std::vector<std::string> extensions;
    bool raw_sql_seen = false;
  };
  Undo start_undo() const;
  void save_tables(Undo& undo, const std::vector<std::string>& names) const;
  std::vector<std::string> touched_tables(const ir::SchemaChange& change) const;
  void restore(const Undo& undo);
  void register_indexes(const Table& table);
  void unregister_indexes(const Table& table);

  // By name: replaying thousands of migrations looks tables up constantly.
  std::map<std::string, Table> tables_;
  // Index name -> table name, kept in step with the tables' index lists after every change,
  // since index names are unique across the schema, not per table.
  std::map<std::string, std::string> index_owner_;
  std::vector<ir::View> views_;
  std::vector<std::string> extensions_;
  bool raw_sql_seen_ = false;
  std::vector<Undo> scratch_;
};

// begin_scratch() for the lifetime of the scope, end_scratch() however it is left.
class ScratchScope {
 public:
  explicit ScratchScope(SchemaModel& model) : model_(model) { model_.begin_scratch(); }
  ~ScratchScope() { model_.end_scratch(); }
  ScratchScope(const ScratchScope&) = delete;
  ScratchScope& operator=(const ScratchScope&) = delete;

 private:
  SchemaModel& model_;
};

}  // namespace migpkg::schema
