#pragma once
// The rows of every user table, read so that two readings compare: what `check --seed` and
// `check --against` hold the database to before and after each up and down.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// A double-quoted identifier; both engines accept it.
std::string quote_name(Connection& connection, const std::string& name);

// The ordinary tables of the current schema (PostgreSQL) or main database (SQLite), without
// migpkg's own migpkg_* tables, sorted.
std::vector<std::string> user_tables(Connection& connection);

struct TableRows {
  std::vector<std::string> columns;      // in the table's column order
  std::vector<std::string> primary_key;  // empty: none, the rows compare as a multiset
  std::vector<Row> rows;                 // values as text, NULL as nullopt
  bool operator==(const TableRows& other) const {
    return columns == other.columns && primary_key == other.primary_key && rows == other.rows;
  }
};
using DataSnapshot = std::map<std::string, TableRows>;  // by table name

DataSnapshot snapshot_rows(Connection& connection);

std::int64_t total_rows(const DataSnapshot& snapshot);

}  // namespace migpkg::runtime
