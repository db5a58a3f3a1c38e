#include "runtime/installer/database_opening.hpp"

#include "runtime/engines/engine_registry.hpp"
#include "runtime/lock/run_lock.hpp"

namespace migpkg::runtime {

bool database_missing(const DatabaseUrl& url) {
  return engine_of(url).creates_on_open(url);
}

std::unique_ptr<Connection> open_for_reading(const DatabaseUrl& url, int sqlite_lock_wait_ms) {
  if (database_missing(url)) return open_sqlite(":memory:");
  return open_connection(url, sqlite_lock_wait_ms);
}

std::unique_ptr<Connection> open_naming_lock_holder(
    const DatabaseUrl& url, const std::function<std::unique_ptr<Connection>()>& open) {
  try {
    return open();
  } catch (const LockTimeout& timeout) {
    // Trying migpkg's run lock once tells: held, it names the migpkg run; free (taken and at
    // once released here), the database's lock belongs to another program.
    try {
      auto stand_in = open_sqlite(":memory:");
      acquire_run_lock(*stand_in, url, "migpkg, looking for the holder of the database", 0);
    } catch (const LockTimeout& run_lock) {
      throw LockTimeout(std::string(timeout.what()) + "; " + run_lock.what());
    } catch (const std::exception&) {
      throw timeout;  // the run lock cannot tell (no lock file can be made): no more is known
    }
    throw LockTimeout(foreign_writer_message(timeout));
  }
}

}  // namespace migpkg::runtime
