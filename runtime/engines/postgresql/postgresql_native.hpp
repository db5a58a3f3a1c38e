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

namespace migpkg::runtime {

// The driver's connection (what the module's table hands out as `open`).
std::unique_ptr<Connection> open_postgresql_connection(const std::string& conninfo);

// Throws std::invalid_argument when `connection` is not a PostgreSQL connection.
pqxx::connection_base& postgresql_handle(Connection& connection);

}  // namespace migpkg::runtime
