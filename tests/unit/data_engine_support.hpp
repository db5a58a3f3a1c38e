#pragma once
// What the engine data tests share (test_data_engines.cpp, test_data_random_rows.cpp): tables
// made as a migration's create-table change makes them for each engine, and reads and writes
// through the engine's data methods (engine.hpp, "Data").
#include <optional>
#include <string>
#include <vector>

#include "runtime/data/data_table.hpp"
#include "runtime/engines/engine.hpp"

namespace migpkg::test {

struct ColumnSpec {
  std::string name;
  std::string type;  // a portable type name: "decimal(10,2)"
  bool nullable = true;
};

// Creates `table` as a migration's create-table change would, for the connection's engine.
void create_table(runtime::Connection& db, const std::string& dialect, const std::string& table,
                  const std::vector<ColumnSpec>& columns, const std::vector<std::string>& key,
                  const std::vector<std::string>& checks = {});

// Every row of `table`, read in batches of `batch_rows` (each batch checked to be no larger).
std::vector<data::Row> read_all(const runtime::Engine& engine, runtime::Connection& db,
                                const data::DataTable& table, std::size_t batch_rows = 1000,
                                std::optional<data::Row> after_key = std::nullopt,
                                const std::string& where = "");

// write_data in a transaction of its own (rolled back when it throws).
std::size_t write(const runtime::Engine& engine, runtime::Connection& db,
                  const data::DataTable& table, const std::vector<std::string>& columns,
                  const std::vector<data::Row>& rows,
                  data::OnConflict mode = data::OnConflict::Fail);

// A value as a failure message shows it: quoted and shortened, or NULL.
std::string shown(const data::Value& value);

}  // namespace migpkg::test
