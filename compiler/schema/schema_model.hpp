#pragma once
// What the compiler knows of the database schema at one point of a plugin's history: the
// tables (columns, constraints, indexes, comments), views and extensions that declarative
// changes created. Replaying changes in plan order gives the schema before every change, which
// the SQLite table rebuild, MySQL's full-column MODIFY and the automatic down steps need.
//
// Raw SQL and transforms are opaque: once one has run, a table the model does not know may
// have been created by it. Such a table is "external": changes to it are allowed but not
// checked, and what needs its structure (a rebuild, the automatic down of a drop) is an error.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
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
  // The constraint or index goes with `column` when it is dropped: it lists the column, or its
  // expression (a check, a partial-index predicate) names it.
  bool uses_column(const ir::Constraint& constraint, const std::string& column) const;
  bool uses_column(const ir::Index& index, const std::string& column) const;
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
  // Every table, view and extension, for what compares two models (schema_diff.hpp).
  std::vector<std::string> table_names() const;  // sorted
  const std::vector<ir::View>& views() const { return views_; }
  const std::vector<std::string>& extensions() const { return extensions_; }

  // A raw SQL or transform step ran, or a migration builds on one outside the run (another
  // plugin, or one already installed): unknown tables may exist from now on.
  void note_raw_sql() { raw_sql_seen_ = true; }
  bool raw_sql_seen() const { return raw_sql_seen_; }

  // Applies the change. Problems (unknown or existing table, column, constraint, index, view)
  // are errors at the change's location, prefixed with `context` ("migration \"m\" step \"s\"").
  // Returns false when the change could not be applied; the model is then unchanged.
  // The context is only spelled out when there is a problem to report: replaying thousands of
  // changes that apply cleanly need not build a message for each.
  using Context = std::function<std::string()>;
  bool apply(const ir::SchemaChange& change, const Context& context, Diagnostics& diagnostics);
  bool apply(const ir::SchemaChange& change, const std::string& context, Diagnostics& diagnostics) {
    return apply(change, Context([&context] { return context; }), diagnostics);
  }

  // Changes applied between begin_scratch() and end_scratch() are taken back by end_scratch():
  // how a migration's down steps are replayed on the schema its up steps left, without copying
  // the model. Scratch scopes nest.
  void begin_scratch();
  void end_scratch();

 private:
  friend class Applier;
  // The undo log: every change to the model records what takes it back (the tables of a
  // rename as they were; otherwise just the column, constraint or index removed, where an
  // element was added, the dropped table itself), so applying a change and taking it back cost
  // what the change touches, not copies of whole tables. Records are kept while a scratch
  // scope is open (end_scratch() undoes back to the scope's mark) and for the duration of one
  // apply() (a failed change is undone); otherwise they are dropped.
  struct TableSnapshot {  // a table as it was (nullopt: it did not exist)
    std::string name;
    std::optional<Table> before;
  };
  struct TableCreated {
    std::string name;
  };
  struct TableErased {
    std::unordered_map<std::string, Table>::node_type node;
  };
  struct ColumnInserted {
    std::string table;
    std::size_t at;
  };
  struct ColumnErased {
    std::string table;
    std::size_t at;
    ir::Column column;
  };
  struct ColumnChanged {
    std::string table;
    std::size_t at;
    ir::Column before;
  };
  struct CommentChanged {  // of the table, or of column `at` when it is set
    std::string table;
    std::optional<std::size_t> at;
    std::string before;
  };
  struct ConstraintAppended {
    std::string table;
  };
  struct ConstraintErased {
    std::string table;
    std::size_t at;
    ir::Constraint constraint;
  };
  struct IndexAppended {
    std::string table;
  };
  struct IndexErased {
    std::string table;
    std::size_t at;
    ir::Index index;
  };
  struct ViewsChanged {  // views and extensions as they were
    std::vector<ir::View> views;
    std::vector<std::string> extensions;
  };
  using Record = std::variant<TableSnapshot, TableCreated, TableErased, ColumnInserted,
                              ColumnErased, ColumnChanged, CommentChanged, ConstraintAppended,
                              ConstraintErased, IndexAppended, IndexErased, ViewsChanged>;
  struct Scope {
    std::size_t mark;  // log size at begin_scratch()
    bool raw_sql_seen;
  };

  std::vector<std::string> touched_tables(const ir::SchemaChange& change) const;
  void undo(Record& record);
  void undo_to(std::size_t mark);
  Table& table_named(const std::string& name) { return tables_.find(name)->second; }
  void register_indexes(const Table& table);
  void unregister_indexes(const Table& table);

  // By name, hashed: replaying thousands of migrations looks tables up constantly, and names
  // such as bench_t00042 share long prefixes that an ordered map compares again and again.
  // Nothing depends on their order: lists of names are sorted where they are made.
  std::unordered_map<std::string, Table> tables_;
  // Index name -> table name, kept in step with the tables' index lists after every change,
  // since index names are unique across the schema, not per table.
  std::unordered_map<std::string, std::string> index_owner_;
  std::vector<ir::View> views_;
  std::vector<std::string> extensions_;
  bool raw_sql_seen_ = false;
  std::vector<Record> log_;
  std::vector<Scope> scopes_;
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
