#pragma once
// How the commands and operations (runtime/operations/) open the database they work on.
#include <functional>
#include <memory>

#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// Whether opening `url` would create its database (a SQLite file that is not there).
bool database_missing(const DatabaseUrl& url);

// For work that only reads: a SQLite file that does not exist reads as an empty database (an
// in-memory one) instead of being created. `sqlite_lock_wait_ms`: see open_connection.
std::unique_ptr<Connection> open_for_reading(const DatabaseUrl& url,
                                             int sqlite_lock_wait_ms = kDefaultSqliteLockWaitMs);

// For work that writes: `open()`, and when another connection keeps the SQLite file locked past
// the wait (LockTimeout), the message says who: a migpkg run (migpkg's run lock is held; its
// holder is named) or another program.
std::unique_ptr<Connection> open_naming_lock_holder(
    const DatabaseUrl& url, const std::function<std::unique_ptr<Connection>()>& open);

}  // namespace migpkg::runtime
