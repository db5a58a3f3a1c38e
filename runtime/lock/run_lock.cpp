// The run lock (see run_lock.hpp): each engine takes its own (Engine::acquire_run_lock, in
// runtime/engines/<name>/run_lock.cpp); what they share is lock_polling.hpp.
#include "runtime/lock/run_lock.hpp"

#include <stdexcept>
#include <string>

#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {

std::unique_ptr<RunLock> acquire_run_lock(Connection& connection, const DatabaseUrl& url,
                                          const std::string& holder, int timeout_seconds) {
  if (connection.engine() != url.engine)
    throw std::runtime_error("cannot lock: the connection is to " +
                             std::string(ir::engine_name(connection.engine())) +
                             " but the URL names " + ir::engine_name(url.engine));
  return engine_of(url).acquire_run_lock(connection, url, holder, timeout_seconds);
}

std::string foreign_writer_message(const LockTimeout& timeout) {
  return std::string(timeout.what()) +
         "; it is not a migpkg run (no other migpkg run holds migpkg's run lock): another "
         "program has the database open for writing";
}

}  // namespace migpkg::runtime
