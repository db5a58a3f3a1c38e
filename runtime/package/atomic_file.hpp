#pragma once
// Replacing a small file so that a reader (or a crash) sees the old bytes or the new, never a
// mix: written to a temporary file in the same directory, flushed to disk, renamed over the
// target, and the directory flushed. Used for the registry index, its signature and the
// installer's index state.
#include <sys/types.h>

#include <cstddef>
#include <string>

namespace migpkg::package {

// Writes all of `content` to `fd` (retrying short writes and EINTR); false on an error.
bool write_all(int fd, const std::string& content);

// Throws std::runtime_error naming the path when any step fails (the temporary is removed).
void write_file_atomically(const std::string& path, const std::string& content, mode_t mode = 0644);

// Reads a regular file of at most `max_bytes` (checked before reading and while reading). A
// missing, non-regular or oversized file is refused (PackageError); `what` names its role in the
// message ("index", "signature").
std::string read_bounded_file(const std::string& path, std::size_t max_bytes,
                              const std::string& what);

}  // namespace migpkg::package
