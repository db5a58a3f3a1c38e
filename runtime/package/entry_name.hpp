#pragma once
// The one rule for names inside a package, applied when packing, when reading an archive and
// when reading a manifest: relative, '/'-separated, no empty, "." or ".." part, at most 255
// bytes, and only [A-Za-z0-9._+@=,-] in each part. Anything else (absolute paths, traversal,
// backslashes, control characters, non-ASCII look-alikes) is refused before it can matter.
#include <string>

namespace migpkg::package {

inline constexpr std::size_t kMaxEntryNameBytes = 255;

// Empty when `name` is acceptable, else why not ("absolute path", "'..' component", ...).
std::string entry_name_problem(const std::string& name);

// `name` quoted for a message, with control and non-ASCII bytes escaped so a hostile name
// cannot forge terminal output.
std::string printable_name(const std::string& name);

}  // namespace migpkg::package
