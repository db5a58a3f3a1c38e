#include "runtime/data/move_ends.hpp"

#include <stdexcept>

#include "runtime/installer/database_opening.hpp"

namespace migpkg::data {

std::unique_ptr<runtime::Connection> open_move_target(const runtime::DatabaseUrl& url, bool dry_run,
                                                      int lock_wait_ms) {
  if (dry_run) return runtime::open_for_reading(url, lock_wait_ms);
  return runtime::open_naming_lock_holder(
      url, [&] { return runtime::open_connection(url, lock_wait_ms); });
}

std::unique_ptr<runtime::Connection> open_copy_source(const std::string& from,
                                                      const std::string& to) {
  if (runtime::redact_password(from) == runtime::redact_password(to))
    throw std::invalid_argument("copy: --from and --to name the same database");
  runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(from);
  if (runtime::database_missing(url))
    throw std::runtime_error("the source database " + from + " does not exist");
  return runtime::open_for_reading(url);
}

}  // namespace migpkg::data
