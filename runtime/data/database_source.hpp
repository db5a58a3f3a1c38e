#pragma once
// One table of a database as a TableSource (data_move.hpp): read through its engine's read_data,
// in primary-key order and resumed after a key, or in any order for a digest. `copy` reads its
// source with it, and `export` and copy's verification read through it on read_ahead's thread.
#include <string>
#include <vector>

#include "runtime/data/data_move.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::data {

class DatabaseSource : public TableSource {
 public:
  // `where`: SQL of that database, empty for every row; `columns`: a subset of the table's in
  // this order, empty for all; `any_order`: the reader needs no order (a digest: no sort).
  DatabaseSource(runtime::Connection& connection, DataTable table, std::string where,
                 std::vector<std::string> columns = {}, bool any_order = false)
      : c_(connection),
        table_(std::move(table)),
        where_(std::move(where)),
        columns_(std::move(columns)),
        any_order_(any_order) {}
  const DataTable& table() const override { return table_; }
  void read(const Checkpoint& after, std::size_t batch_rows,
            const std::function<void(std::vector<Row>)>& sink) override;
  bool resumable() const override { return !table_.primary_key.empty(); }

 private:
  runtime::Connection& c_;
  DataTable table_;
  std::string where_;  // loading, verifying and undoing all see the same rows
  std::vector<std::string> columns_;
  bool any_order_;
};

}  // namespace migpkg::data
