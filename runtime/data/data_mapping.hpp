#pragma once
// `--map FILE` of import and copy (docs/data.md, "Mappings"): tables and columns renamed, columns
// dropped, and per-column transforms in the transform steps' function language (a catalog
// function, or an inline lookup), with a default for a NULL result. Columns a table's mapping
// does not name keep their names.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/literal.hpp"
#include "runtime/data/data_table.hpp"

namespace migpkg::data {

struct ColumnMapping {
  std::string source, target;  // target empty: the column is dropped
  std::string function;        // a catalog function, or "" for none
  std::vector<ir::Literal> parameters;
  std::optional<std::map<std::string, Value>> lookup;  // inline lookup: source text -> value
  std::optional<ir::Literal> default_value;            // when the result is NULL
  // The column's type in a table `copy --create` makes (default: the source column's);
  // ignored for a table the target has already.
  std::optional<ir::ColumnType> type;
  std::string where;  // "FILE: /tables/0/mapping/2"
};

struct TableMapping {
  std::string source, target;
  std::vector<ColumnMapping> columns;
  std::string where;
};

class DataMapping {
 public:
  // Reads and checks a mapping file; throws std::runtime_error naming the file and the JSON
  // pointer of what is wrong.
  static DataMapping read(const std::string& path);
  // The mapping of a source table, or nullptr.
  const TableMapping* find(const std::string& source_table) const;
  // The target name of a source table.
  std::string target_table(const std::string& source_table) const;
  const std::vector<TableMapping>& tables() const { return tables_; }

 private:
  std::vector<TableMapping> tables_;
};

// How one source table's rows become the target's: which target columns, each from which
// source column through which mapping.
class RowProjection {
 public:
  // Throws std::runtime_error when the mapping names a column the source table does not have.
  RowProjection(const DataTable& source, const TableMapping* mapping);
  const std::vector<std::string>& target_columns() const { return target_columns_; }
  // The source row's values for the target columns; a transform that cannot take a value
  // throws ValueError naming table, key, column and value.
  Row apply(const Row& source_row) const;
  // Whether apply() gives every source row back as it is: all columns, in order, no transform.
  bool is_identity() const;
  // Per target column, the index of the source column it comes from.
  const std::vector<std::size_t>& source_columns() const { return from_; }
  // The target column a source column ends up in, or "" when dropped.
  std::string target_of(const std::string& source_column) const;
  // The source row's key, as ValueError and the rejects file show it: "(1)", "(7, 'x')".
  std::string key_text(const Row& source_row) const;

 private:
  const DataTable& source_;
  std::vector<std::string> target_columns_;
  std::vector<std::size_t> from_;              // per target column: its source column
  std::vector<const ColumnMapping*> mapping_;  // per target column: nullptr = as it is
  std::vector<std::size_t> key_;               // the source key's columns
};

}  // namespace migpkg::data
