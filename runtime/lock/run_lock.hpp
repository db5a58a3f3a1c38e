#pragma once
// One run at a time per database. PostgreSQL: a session advisory lock (the server releases it
// if the process dies). SQLite: an exclusive flock() on "<database file>.migpkg-lock" (the kernel
// releases it if the process dies); an in-memory database needs no lock. A second run waits up
// to the timeout, then fails naming who holds the lock.
#include <memory>
#include <stdexcept>
#include <string>

#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// Thrown when the lock could not be taken in time; the CLI exits 4 with what() which names
// the holder (e.g. "held by migpkg install (pid 4242, user alice, since 2026-11-21 06:40:00)").
class LockTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RunLock {
 public:
  virtual ~RunLock() = default;  // releases the lock
};

// `holder` describes this run ("migpkg install by alice"); it is what a waiting run shows.
// `connection` must be the connection the run uses (PostgreSQL advisory locks are per session).
std::unique_ptr<RunLock> acquire_run_lock(Connection& connection, const DatabaseUrl& url,
                                          const std::string& holder, int timeout_seconds);

}  // namespace migpkg::runtime
