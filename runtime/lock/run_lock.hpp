#pragma once
// One run at a time per database, taken by the engine (Engine::acquire_run_lock). PostgreSQL: a
// session advisory lock (the server releases it if the process dies). SQLite: an exclusive flock()
// on "<database file>.migpkg-lock" (the kernel releases it if the process dies); an in-memory
// database needs no lock. A second run waits up to the timeout, then fails naming who holds the
// lock.
#include <memory>
#include <stdexcept>
#include <string>

#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

// acquire_run_lock throws LockTimeout (connection.hpp) when the lock could not be taken in time;
// its what() names the holder (e.g. "held by migpkg install (pid 4242, user alice, since
// 2026-11-21 06:40:00)").

class RunLock {
 public:
  virtual ~RunLock() = default;  // releases the lock
};

// `holder` describes this run ("migpkg install by alice"); it is what a waiting run shows.
// `connection` must be the connection the run uses (PostgreSQL advisory locks are per session).
std::unique_ptr<RunLock> acquire_run_lock(Connection& connection, const DatabaseUrl& url,
                                          const std::string& holder, int timeout_seconds);

// The message for a LockTimeout that a statement met while no other migpkg run held the run lock
// (this run holds it, or it was free): the holder of the database's lock is another program.
std::string foreign_writer_message(const LockTimeout& timeout);

}  // namespace migpkg::runtime
