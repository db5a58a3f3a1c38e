#pragma once
// Internal to compiler/dialects: the text of DDL clauses for one dialect (SQL types, defaults,
// column and constraint definitions, CREATE TABLE, index and constraint statements), spelled from
// the dialect's DdlSpec. ddl_generator.cpp decides which statements a change takes; this only
// writes them. A clause the dialect cannot express throws CannotExpress.
//
// The SQL expressions of a table (checks, `sql` defaults, partial-index predicates) are written
// with their column names quoted for the dialect (compiler/schema/expression_names.hpp): the
// functions that spell one take the table's columns, or nullptr when the table is unknown (raw SQL
// created it), where only double-quoted names are re-quoted.
#include <string>
#include <vector>

#include "compiler/dialects/dialect.hpp"
#include "compiler/ir/schema_change.hpp"

namespace migpkg::ddl {

// Thrown when the dialect cannot express a change; compile_change reports `why`.
struct CannotExpress {
  std::string why;
};

bool is_serial(const ir::ColumnType& type);

class DdlClauses {
 public:
  explicit DdlClauses(const Dialect& d) : d_(d), ddl_(d.spec().ddl) {}

  std::string type_sql(const ir::ColumnType& type) const;
  void append_type_sql(std::string& out, const ir::ColumnType& type) const;
  std::string table_name(const std::string& name) const { return d_.quote_qualified(name); }
  std::string id(const std::string& name) const { return d_.quote_identifier(name); }
  // A constraint or index name, quoted, cut to the dialect's limit (DdlSpec::max_name_length).
  std::string object_id(const std::string& name) const;
  void append_object_id(std::string& out, const std::string& name) const;
  std::string columns(const std::vector<std::string>& names) const;
  using Columns = std::vector<ir::Column>;
  // `text`, an expression over `columns`, for the dialect; `what` names it in an error.
  std::string expression_sql(const std::string& text, const Columns* columns,
                             const std::string& what) const;
  std::string default_sql(const ir::ColumnDefault& value, const ir::ColumnType& type,
                          const Columns* columns) const;
  std::string enum_check(const ir::Column& column) const;
  // `rowid_pk`: SQLite's generated key, the column is the table's single primary key.
  // `columns`: the table's, which a default expression may name.
  std::string column_sql(const ir::Column& column, const ir::Constraint* rowid_pk,
                         const Columns* columns) const;
  void append_column_sql(std::string& out, const ir::Column& column, const ir::Constraint* rowid_pk,
                         const Columns* columns) const;
  void append_columns(std::string& out, const std::vector<std::string>& names) const;
  std::string constraint_sql(const ir::Constraint& k, const std::string& table,
                             const Columns* columns) const;
  // Throws CannotExpress when one of `key` (columns of a key or index, `what` names it) has a
  // type the dialect cannot key (DdlSpec::unkeyable_kinds).
  void check_keyable(const std::vector<std::string>& key, const Columns* columns,
                     const std::string& what) const;
  void append_constraint_sql(std::string& out, const ir::Constraint& k, const std::string& table,
                             const Columns* columns) const;
  // SQLite: the generated key column, when the table's primary key is exactly one serial column.
  const ir::Constraint* rowid_primary_key(const std::vector<ir::Constraint>& constraints,
                                          const ir::Column& column) const;
  std::string create_table_sql(const std::string& name, const std::vector<ir::Column>& cols,
                               const std::vector<ir::Constraint>& constraints,
                               const std::string& comment) const;
  std::string extended_property(const char* procedure, const std::string& table,
                                const std::string& column, const std::string* value) const;
  std::string create_index_sql(const ir::Index& index, const Columns* columns) const;
  std::string drop_index_sql(const std::string& name, const std::string& table) const;
  // `fk_own_index`: MySQL, a foreign key's own index (foreign_key_index.hpp) goes with it.
  std::string drop_constraint_sql(const std::string& table, const std::string& name,
                                  const ir::Constraint* known, bool fk_own_index = false) const;
  // SQL Server: defaults and column CHECKs have generated names; find and drop them by column.
  // (Golden-only: no SQL Server runs in the test suite.)
  std::string sqlserver_drop_column_objects(const std::string& table, const std::string& column,
                                            bool checks) const;

 protected:
  void check_length(const ir::ColumnType& type) const;

  const Dialect& d_;
  const DdlSpec& ddl_;
};

}  // namespace migpkg::ddl
