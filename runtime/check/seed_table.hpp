#pragma once
// What `check --seed` needs to know of a table to fill it with rows the database accepts: the
// columns it must supply (with their portable types), the keys whose values must be distinct,
// and the foreign keys whose values must come from the parent. Taken from the replayed schema
// model where it knows the table (exact types, enum values), else read from the database (a
// table that raw SQL created).
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/schema_change.hpp"
#include "compiler/schema/schema_model.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

struct SeedColumn {
  std::string name;
  ir::ColumnType type;
  bool nullable = true;
  bool generated = false;  // serial, identity, rowid alias or computed: the database fills it
  // Named by a CHECK constraint the generator cannot evaluate (now or added by a later
  // migration): plain values only, which simple range checks accept, no edge values.
  bool plain = false;
};

struct SeedForeignKey {
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;  // never empty: the parent's primary key when implicit
};

struct SeedTable {
  std::string name;
  std::vector<SeedColumn> columns;
  std::vector<std::vector<std::string>> unique_keys;  // primary key and unique constraints/indexes
  std::vector<SeedForeignKey> foreign_keys;

  const SeedColumn* find_column(const std::string& column) const;
};

SeedTable seed_table_from_model(const schema::Table& table);

// The table as the database describes it; nullopt when it does not exist.
std::optional<SeedTable> seed_table_from_database(Connection& connection, const std::string& table);

// A column type as a database spells it ("character varying(20)", "BIGINT", "numeric(10,2)"),
// mapped to the portable type whose values it accepts; unknown names are text.
ir::ColumnType column_type_from_sql(const std::string& type_name);

}  // namespace migpkg::runtime
