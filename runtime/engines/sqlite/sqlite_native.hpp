#pragma once
// Internal: the sqlite3* behind a SQLite Connection, for the few runtime parts that need the C API
// itself (the online backup API copies pages between two sqlite3 handles). Not for general use:
// statements still go through Connection so that errors name the statement that failed.
#include "runtime/drivers/connection.hpp"

struct sqlite3;

namespace migpkg::runtime {

// Throws std::invalid_argument when `connection` is not a SQLite connection.
sqlite3* sqlite_handle(Connection& connection);

}  // namespace migpkg::runtime
