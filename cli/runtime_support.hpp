#pragma once
// What the runtime commands (install, plan, rollback, status, history, restore) share: the
// database option, the actor, the run context with terminal progress, and report output.
#include <functional>
#include <memory>
#include <string>

#include "cli/arguments.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/installer/installer.hpp"

namespace migpkg::cli {

// --db, else $MIGPKG_DB, else the embedded default sqlite:migpkg.db.
std::string database_argument(const Arguments& args);
runtime::DatabaseUrl parse_database(const std::string& url);  // UsageError on a bad URL

// For commands that only read: a SQLite file that does not exist reads as an empty database
// (an in-memory one) instead of being created. `sqlite_lock_wait_ms`: see open_connection.
std::unique_ptr<runtime::Connection> open_for_reading(
    const runtime::DatabaseUrl& url, int sqlite_lock_wait_ms = runtime::kDefaultSqliteLockWaitMs);
// Whether opening `url` would create its database (a SQLite file that is not there:
// open_for_reading stands in for it).
bool database_missing(const runtime::DatabaseUrl& url);

// For the commands that write: `open()`, and when another connection keeps the SQLite file
// locked past the wait (LockTimeout), the message says who: a migpkg run (migpkg's run lock is
// held; its holder is named) or another program.
std::unique_ptr<runtime::Connection> open_naming_lock_holder(
    const runtime::DatabaseUrl& url,
    const std::function<std::unique_ptr<runtime::Connection>()>& open);

// How long the SQLite connection of a command that writes waits for another connection's write
// lock: the run's --lock-timeout.
int sqlite_lock_wait_ms(const runtime::RunContext& context);

struct Config;
// `config`: the configuration file's settings, for the commands that read it (install, rollback).
runtime::RunContext run_context(const Arguments& args, const std::string& command_line,
                                const runtime::DatabaseUrl& url, bool show_progress,
                                const Config* config = nullptr);

// Prints the report (text or JSON) and returns the exit code for its status.
int finish_report(const runtime::RunReport& report, const std::string& command, bool json,
                  const std::string& database);

std::string joined_arguments(const std::string& command, const Arguments& args);

}  // namespace migpkg::cli
