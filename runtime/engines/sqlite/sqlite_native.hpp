#pragma once
// Internal: the sqlite3* behind a SQLite Connection, for the few runtime parts that need the C API
// itself (the online backup API copies pages between two sqlite3 handles). Not for general use:
// statements still go through Connection so that errors name the statement that failed.
#include "runtime/drivers/connection.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace migpkg::runtime {

// Throws std::invalid_argument when `connection` is not a SQLite connection.
sqlite3* sqlite_handle(Connection& connection);

// `sql` prepared once per connection and kept until it closes (the data commands' bulk INSERT
// and SELECT, run with values bound as their own types, not as text). The caller resets it.
sqlite3_stmt* sqlite_bulk_statement(Connection& connection, const std::string& sql);

// Throws what a failing statement of `connection` throws for result code `rc`: LockTimeout when
// another connection holds the lock, else DatabaseError with SQLite's message and `sql`.
[[noreturn]] void sqlite_fail(Connection& connection, int rc, const std::string& sql);

}  // namespace migpkg::runtime
