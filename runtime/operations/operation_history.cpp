#include "runtime/operations/operation_history.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <map>
#include <stdexcept>

#include "runtime/package/atomic_file.hpp"

namespace migpkg::operations {
namespace {

std::runtime_error file_error(const std::filesystem::path& file, const std::string& what) {
  return std::runtime_error("operations history " + file.string() + ": " + what + ": " +
                            std::strerror(errno));
}

void sync_directory(const std::filesystem::path& file) {
  std::filesystem::path dir = file.parent_path().empty() ? "." : file.parent_path();
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the line itself is synced; the directory entry is best effort
  ::fsync(fd);
  ::close(fd);
}

// The last `max_bytes` of the file, from the first line that starts within them; `cut`: bytes
// were left out before it.
std::string read_tail(const std::filesystem::path& file, std::size_t max_bytes, bool& cut) {
  cut = false;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return "";
    throw file_error(file, "cannot open");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    errno = EINVAL;
    throw file_error(file, "not a regular file");
  }
  off_t size = st.st_size;
  off_t from = size > static_cast<off_t>(max_bytes) ? size - static_cast<off_t>(max_bytes) : 0;
  std::string text(static_cast<std::size_t>(size - from), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::pread(fd, &text[got], text.size() - got, from + static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      throw file_error(file, "cannot read");
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  if (from > 0) {
    cut = true;
    std::size_t newline = text.find('\n');
    text.erase(0, newline == std::string::npos ? text.size() : newline + 1);
  }
  return text;
}

}  // namespace

OperationHistory::OperationHistory(std::filesystem::path file) : file_(std::move(file)) {}

LoadedHistory OperationHistory::load() const {
  LoadedHistory out;
  bool cut = false;
  const std::string text = read_tail(file_, kMaxHistoryReadBytes, cut);
  if (cut)
    out.notes.push_back(file_.string() + ": only its last " + std::to_string(kMaxHistoryReadBytes) +
                        " bytes were read");
  std::map<std::string, std::size_t> index;  // id -> position in out.records
  std::size_t start = 0, number = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last = end == std::string::npos;
    std::string line = text.substr(start, last ? std::string::npos : end - start);
    start = last ? text.size() : end + 1;
    ++number;
    ++out.lines;
    const std::string where =
        file_.string() + ":" + std::to_string(number) + (cut ? " (of the tail)" : "");
    if (line.empty()) continue;
    if (line.size() > kMaxHistoryLineBytes) {
      out.notes.push_back(where + ": a line of " + std::to_string(line.size()) +
                          " bytes, over the limit of " + std::to_string(kMaxHistoryLineBytes) +
                          ", was ignored");
      continue;
    }
    OperationRecord record;
    try {
      record = OperationRecord::from_json(line);
    } catch (const std::exception& e) {
      // A crash while appending can only cut the last line short: not an error of the history.
      out.notes.push_back(where +
                          (last ? ": the last line is incomplete (a crash while it was "
                                  "written?) and was ignored: "
                                : ": a line that is not an operation record was ignored: ") +
                          e.what());
      continue;
    }
    auto known = index.find(record.id);
    if (known == index.end()) {
      index.emplace(record.id, out.records.size());
      out.records.push_back(std::move(record));
    } else {
      out.records[known->second] = std::move(record);
    }
  }
  if (out.records.size() > kMaxHistoryOperations)
    out.records.erase(out.records.begin(),
                      out.records.end() - static_cast<std::ptrdiff_t>(kMaxHistoryOperations));
  return out;
}

void OperationHistory::append(const OperationRecord& record) const {
  const std::string line = record.to_json() + "\n";
  const bool existed = std::filesystem::exists(file_);
  int fd = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw file_error(file_, "cannot open for appending");
  // One write of the whole line: O_APPEND puts it after every line written before.
  const bool written = package::write_all(fd, line);
  const bool synced = written && ::fdatasync(fd) == 0;
  ::close(fd);
  if (!written) throw file_error(file_, "cannot append");
  if (!synced) throw file_error(file_, "cannot flush to disk");
  if (!existed) sync_directory(file_);
}

void OperationHistory::rewrite(const std::vector<OperationRecord>& records) const {
  std::string text;
  for (const auto& record : records) text += record.to_json() + "\n";
  package::write_file_atomically(file_.string(), text, 0600);
}

}  // namespace migpkg::operations
