#pragma once
// Internal: the libpqxx connection behind a PostgreSQL Connection, for the few runtime parts that
// need more than text statements (backup and restore stream table data with COPY). A caller may
// open a pqxx::nontransaction on it between Connection calls (the driver keeps none open between
// calls), and must close it before using the Connection again.
#include <memory>
#include <string>

#include "runtime/drivers/connection.hpp"

namespace pqxx {
class connection_base;
}
extern "C" {
struct pg_conn;    // libpq's PGconn
struct pg_result;  // libpq's PGresult
}

namespace migpkg::runtime {

// The driver's connection (what the module's table hands out as `open`).
std::unique_ptr<Connection> open_postgresql_connection(const std::string& conninfo);

// Throws std::invalid_argument when `connection` is not a PostgreSQL connection.
pqxx::connection_base& postgresql_handle(Connection& connection);

// The libpq connection under the same Connection, for what libpqxx 6.4 cannot send: COPY data
// that is not text lines (binary COPY, copy_binary.hpp). The same rules as postgresql_handle.
pg_conn* postgresql_libpq(Connection& connection);

// The error of a libpq result, or of the connection when there is no result (it is gone),
// without libpq's trailing newline; "COPY failed" when libpq has none to give.
std::string libpq_error(pg_conn* connection, pg_result* result);

}  // namespace migpkg::runtime
