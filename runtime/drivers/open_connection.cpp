// The engine a database URL names, opened. SQLite is linked in; PostgreSQL comes from its
// module, loaded here on first use (postgresql_module.hpp).
#include <stdexcept>

#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

std::unique_ptr<Connection> open_connection(const DatabaseUrl& url, int sqlite_lock_wait_ms) {
  if (url.engine == "sqlite") return open_sqlite(url.path, sqlite_lock_wait_ms);
  if (url.engine == "postgresql") return open_postgresql(url.conninfo);
  throw std::invalid_argument("unsupported database engine '" + url.engine + "'");
}

}  // namespace migpkg::runtime
