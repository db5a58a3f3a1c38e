#pragma once
// The staging directory an export writes its data set into (`.OUT.partial-XXXXXX` beside OUT,
// dataset_writer.cpp) is locked with flock(2) while its writer lives. The kernel drops the lock
// when the process ends however it ends, so a staging directory nobody holds a lock on was left
// by a killed export: the next export to the same OUT removes it (docs/data.md, "Writing").
#include <string>

namespace migpkg::data {

// Creates `.BASE.partial-XXXXXX` beside `path` and returns its path and the descriptor that
// holds its lock (close it to release). Throws std::runtime_error naming the path.
struct LockedStaging {
  std::string path;
  int lock_fd = -1;
};
LockedStaging create_locked_staging(const std::string& path);

// Removes the staging directories (and the `.tar` files built from them) that earlier exports
// to `path` left behind: those whose lock no live process holds. A live export's staging is
// left alone. Returns how many it removed; errors while removing are ignored (a leftover
// is untidy, not wrong).
int remove_stale_staging(const std::string& path);

// Removes a staging directory and the plain files in it (a staging directory holds nothing
// else); errors are ignored.
void remove_staging(const std::string& dir);

}  // namespace migpkg::data
