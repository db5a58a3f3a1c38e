#pragma once
// Reading a whole source file in as few system calls as possible (open, fstat, read, close):
// an install of 500 one-migration files paid several more per file through std::ifstream and a
// separate stat, and system calls are what a run of small migrations spends much of its time on.
#include <cstddef>
#include <optional>
#include <string>

namespace migpkg {

enum class FileTextError { NotRegular, TooLarge, Unreadable };

struct FileText {
  std::string text;
  std::optional<FileTextError> error;
  std::size_t size = 0;  // the file's size, also when it is too large
};

// The contents of the regular file at `path` (symlinks followed), unless it is larger than
// `max_bytes`.
FileText read_file_text(const std::string& path, std::size_t max_bytes);

}  // namespace migpkg
