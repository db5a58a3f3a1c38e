#pragma once
// The databases an import or copy opens, as the command line and operations
// (runtime/operations/) open them.
#include <memory>
#include <string>

#include "runtime/drivers/connection.hpp"

namespace migpkg::data {

// The target: read-only for a dry run (a SQLite file that is not there is not created), else
// opened to write, its lock holder named when another connection keeps it locked.
std::unique_ptr<runtime::Connection> open_move_target(const runtime::DatabaseUrl& url, bool dry_run,
                                                      int lock_wait_ms);

// copy's source, only read: std::invalid_argument when it is the target too, std::runtime_error
// when it does not exist (a SQLite file is not created).
std::unique_ptr<runtime::Connection> open_copy_source(const std::string& from,
                                                      const std::string& to);

}  // namespace migpkg::data
