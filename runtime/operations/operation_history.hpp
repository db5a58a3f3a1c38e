#pragma once
// The history file of operations (docs/operations.md, "History file"): JSON lines, one record
// per line, appended each time an operation is submitted, starts and ends (the last line of an
// id is its state). Each line goes out in one write(2) on an O_APPEND descriptor and is fsynced
// before append() returns. A crash can only leave the last line cut short: load() ignores it
// with a note. Reading is bounded: only the file's last kMaxHistoryReadBytes are read, lines
// over kMaxHistoryLineBytes are skipped, and the newest kMaxHistoryOperations are kept.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/operations/operation.hpp"

namespace migpkg::operations {

inline constexpr std::size_t kMaxHistoryReadBytes = 16u << 20;
inline constexpr std::size_t kMaxHistoryLineBytes = 1u << 20;
inline constexpr std::size_t kMaxHistoryOperations = 1000;

struct LoadedHistory {
  std::vector<OperationRecord> records;  // the last record of each id, oldest first
  std::vector<std::string> notes;        // lines ignored, and why (file:line)
  std::size_t lines = 0;                 // lines read (records and ignored ones)
};

class OperationHistory {
 public:
  explicit OperationHistory(std::filesystem::path file);
  const std::filesystem::path& file() const { return file_; }
  // A file that does not exist is an empty history. std::runtime_error when it cannot be read.
  LoadedHistory load() const;
  // Appends the record as one line and fsyncs (the directory too when the file is new).
  // std::runtime_error naming the file when it cannot.
  void append(const OperationRecord& record) const;
  // Replaces the file with these records (one line each) atomically: the old file or the new.
  void rewrite(const std::vector<OperationRecord>& records) const;

 private:
  std::filesystem::path file_;
};

}  // namespace migpkg::operations
