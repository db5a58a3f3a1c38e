#pragma once
// What the import and copy tests (test_data_move.cpp, test_data_move_crash.cpp) share: the
// test.shop plugin installed into a database, its tables filled with generated rows of every
// common portable type through the engine, and a table's rows read back as a count and a
// content digest (independently of the command's own verification).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/data/data_table.hpp"

namespace migpkg::test {

inline const char* kShopPlugin = "tests/data-move/shop";
inline const std::vector<std::string> kShopTables = {"shop_customers", "shop_orders"};

// `migpkg install tests/data-move/shop --db URL [--to VERSION]`; fails the test unless it works.
void install_shop(const std::string& url, const std::string& version = "");

// Row i (0-based) of shop_customers / shop_orders, in portable form, columns in table order.
migpkg::data::Row customer_row(std::size_t i);
migpkg::data::Row order_row(std::size_t i, std::size_t customers);

// Writes rows [first, first + count) of the generator into `table` (shop_customers or
// shop_orders; orders refer to `customers` customers).
void fill_shop(const std::string& url, std::size_t customers, std::size_t orders,
               std::size_t first = 0);

// Writes portable rows into `table`'s columns with the engine's write_data.
void write_rows(const std::string& url, const std::string& table,
                const std::vector<std::string>& columns,
                const std::vector<migpkg::data::Row>& rows);

struct TableDigest {
  std::uint64_t rows = 0;
  std::string hash;
  bool operator==(const TableDigest& other) const {
    return rows == other.rows && hash == other.hash;
  }
};
// The table's rows through Engine::read_data, all columns or `columns`.
TableDigest table_digest(const std::string& url, const std::string& table,
                         const std::vector<std::string>& columns = {});
// The table's rows (all columns, portable form) in primary-key order.
std::vector<migpkg::data::Row> table_rows(const std::string& url, const std::string& table);

// Creates `table` with `columns` (name, portable type name: "decimal(10,2)"; all nullable but
// the first, which is the primary key) as a migration's create-table would, compiled for the
// database's dialect.
void create_table(const std::string& url, const std::string& table,
                  const std::vector<std::pair<std::string, std::string>>& columns);
// create_table with (id int64 primary key, v TYPE).
void create_value_table(const std::string& url, const std::string& table, const std::string& type);

// The source table's rows as the target's columns hold them (data_move.hpp as_column_holds:
// a zoned timestamp in a MySQL TIMESTAMP is its UTC time), against the target's rows: equal
// when the copy kept every row and value.
void check_same_rows(const std::string& from, const std::string& to, const std::string& table);

// The source table's rows as the target's columns hold them, as a count and digest (streamed,
// for tables too large for check_same_rows): equal to table_digest(to, table) when the copy
// kept every row and value.
TableDigest digest_as_target_holds(const std::string& from, const std::string& to,
                                   const std::string& table);

// The portable type Engine::data_table gives a column.
ir::ColumnType column_type(const std::string& url, const std::string& table,
                           const std::string& column);

// Writes `tables` of `url` as a data set at `path` (DatasetWriter; export's job, done here
// through the library so that import is tested on its own), recording `plugins` (id, version).
void write_dataset(const std::string& url, const std::vector<std::string>& tables,
                   const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& plugins = {},
                   bool csv_zstd = false);

// A killed import or copy run again (docs/data.md, "Resume"): starts `migpkg COMMAND`, which
// loads `rows` rows into `to`'s `table`; kills it (SIGKILL) once at least `kill_after` rows are
// checkpointed and before the end; checks that the target holds exactly the checkpoint's rows
// (they commit together); runs COMMAND --json again and checks its report against
// schemas/<schema>: resumed after the checkpoint, the other rows written, verified by rows and
// content, no checkpoint left. Returns the checkpoint (rows done when killed).
long kill_and_run_again(const std::string& command, const std::string& to, const std::string& table,
                        std::size_t rows, long kill_after, const std::string& schema);

// The --json report of import or copy, checked against schemas/<schema>.
nlohmann::json checked_report(const std::string& out, const std::string& schema);

// Runs SQL on the database (raw, for tables the tests make by hand).
void execute(const std::string& url, const std::string& sql);

}  // namespace migpkg::test
