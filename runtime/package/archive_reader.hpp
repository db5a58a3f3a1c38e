#pragma once
// Reads a package archive as hostile input, one entry at a time, without writing anything
// anywhere. Before an entry's data is read its header is checked: a regular file (no symlink,
// hardlink, device, FIFO, directory or sparse file), an acceptable name (entry_name.hpp), not
// seen before, within the entry-count and entry-size limits. While data is read, the total
// uncompressed size and the compression ratio are checked, so a decompression bomb stops early.
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

struct archive;

namespace migpkg::package {

struct ReadLimits {
  std::uint64_t max_entries = 10000;
  std::uint64_t max_entry_bytes = 1ull << 30;    // 1 GiB per member
  std::uint64_t max_total_bytes = 4ull << 30;    // 4 GiB uncompressed in all
  std::uint64_t max_ratio = 200;                 // uncompressed : compressed
  std::uint64_t ratio_grace_bytes = 4ull << 20;  // the ratio is checked past this much output
  std::uint64_t max_manifest_bytes = 16ull << 20;
  std::uint64_t max_signature_bytes = 4096;
};

class ArchiveReader {
 public:
  // `label` names the package in messages (usually its path).
  static std::unique_ptr<ArchiveReader> open_file(const std::string& path,
                                                  const ReadLimits& limits);
  static std::unique_ptr<ArchiveReader> open_memory(const std::string& bytes,
                                                    const std::string& label,
                                                    const ReadLimits& limits);
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // Moves to the next entry and checks its header; false at the end of the archive.
  bool next();
  const std::string& name() const { return name_; }
  std::uint64_t declared_size() const { return declared_size_; }

  // Reads the current entry's data in chunks. More than `max_bytes` (or than the header
  // declared) is refused; so is a short entry.
  void read(const std::function<void(const char*, std::size_t)>& sink, std::uint64_t max_bytes);
  // Reads the whole current entry into a string (at most `max_bytes`).
  std::string read_all(std::uint64_t max_bytes);

  bool seen(const std::string& name) const { return seen_.count(name) > 0; }
  const std::string& label() const { return label_; }
  std::uint64_t entries() const { return entries_; }
  std::uint64_t uncompressed_bytes() const { return total_bytes_; }

 private:
  ArchiveReader(archive* a, std::string label, const ReadLimits& limits);
  [[noreturn]] void fail_malformed(const std::string& what);
  void check_ratio();

  archive* a_;
  std::string label_;
  ReadLimits limits_;
  std::string name_;
  std::uint64_t declared_size_ = 0;
  std::uint64_t entries_ = 0;
  std::uint64_t total_bytes_ = 0;
  std::set<std::string> seen_;
};

}  // namespace migpkg::package
