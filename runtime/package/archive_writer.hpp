#pragma once
// Writes a package archive deterministically: tar (pax restricted) compressed with zstd, the
// members in the order given, each a regular file with mode 0644, uid/gid 0, no user or group
// names and the same mtime. Same members in, same bytes out.
#include <cstdint>
#include <string>
#include <vector>

namespace migpkg::package {

struct ArchiveMember {
  std::string name;     // checked with entry_name_problem()
  std::string content;  // the file's bytes
};

// `mtime` is the timestamp every entry carries (SOURCE_DATE_EPOCH, else 0).
// Throws PackageError (Malformed) on a bad name or a libarchive failure.
std::string write_archive(const std::vector<ArchiveMember>& members, std::int64_t mtime);

// The timestamp packages carry: $SOURCE_DATE_EPOCH when set (a non-negative integer), else 0.
// A malformed value throws std::invalid_argument rather than being silently ignored.
std::int64_t package_mtime();

}  // namespace migpkg::package
