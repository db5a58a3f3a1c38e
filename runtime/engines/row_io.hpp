#pragma once
// Engine::read_rows and write_rows through plain statements, for engines with nothing faster
// (header-only, so that module engines need no libmigpkg code for it). `quote` spells a name.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime::row_io {

template <typename Quote>
std::string column_list(const std::vector<std::string>& columns, Quote quote) {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + quote(columns[i]);
  return out;
}

// Keyset-free paging is enough here: `order` (the primary key, else every column) makes the
// order total for a table without duplicate rows, and the caller reads in one snapshot.
template <typename Quote>
void read_rows(Connection& connection, const std::string& table,
               const std::vector<std::string>& columns, const std::vector<std::string>& key,
               std::size_t batch_rows, const std::function<void(const std::vector<Row>&)>& sink,
               Quote quote) {
  if (batch_rows == 0) batch_rows = 1000;
  std::string sql = "SELECT " + column_list(columns, quote) + " FROM " + quote(table) +
                    " ORDER BY " + column_list(key.empty() ? columns : key, quote);
  ResultSet all = connection.query(sql);
  for (std::size_t at = 0; at < all.rows.size(); at += batch_rows) {
    std::size_t end = std::min(all.rows.size(), at + batch_rows);
    sink(std::vector<Row>(all.rows.begin() + static_cast<std::ptrdiff_t>(at),
                          all.rows.begin() + static_cast<std::ptrdiff_t>(end)));
  }
}

template <typename Quote>
void write_rows(Connection& connection, const std::string& table,
                const std::vector<std::string>& columns, const std::vector<Row>& rows,
                Quote quote) {
  std::string sql =
      "INSERT INTO " + quote(table) + " (" + column_list(columns, quote) + ") VALUES (";
  for (std::size_t i = 0; i < columns.size(); ++i)
    sql += (i ? ", " : "") + connection.placeholder(i + 1);
  sql += ")";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    try {
      connection.execute(sql, rows[r]);
    } catch (const DatabaseError& error) {
      throw DatabaseError(
          "row " + std::to_string(r + 1) + " of table " + table + ": " + error.what(), error.sql());
    }
  }
}

}  // namespace migpkg::runtime::row_io
