#include "runtime/package/archive_reader.hpp"

#include <new>

#include "runtime/package/entry_name.hpp"
#include "runtime/package/libarchive_api.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/utf8_locale.hpp"

namespace migpkg::package {
namespace {

archive* new_reader() {
  archive* a = libarchive().archive_read_new();
  if (!a) throw std::bad_alloc();
  // Only tar (ustar/pax) and only zstd: every other format and filter libarchive knows is
  // attack surface a package never needs.
  libarchive().archive_read_support_format_tar(a);
  libarchive().archive_read_support_filter_zstd(a);
  return a;
}

std::string size_text(std::uint64_t bytes) {
  return std::to_string(bytes) + " bytes";
}

}  // namespace

ArchiveReader::ArchiveReader(archive* a, std::string label, const ReadLimits& limits)
    : a_(a), label_(std::move(label)), limits_(limits) {}

ArchiveReader::~ArchiveReader() {
  libarchive().archive_read_free(a_);
}

std::unique_ptr<ArchiveReader> ArchiveReader::open_file(const std::string& path,
                                                        const ReadLimits& limits) {
  Utf8LocaleGuard locale;
  archive* a = new_reader();
  std::unique_ptr<ArchiveReader> reader(new ArchiveReader(a, path, limits));
  if (libarchive().archive_read_open_filename(a, path.c_str(), 1 << 20) != ARCHIVE_OK)
    reader->fail_malformed("cannot open");
  return reader;
}

std::unique_ptr<ArchiveReader> ArchiveReader::open_memory(const std::string& bytes,
                                                          const std::string& label,
                                                          const ReadLimits& limits) {
  Utf8LocaleGuard locale;
  archive* a = new_reader();
  std::unique_ptr<ArchiveReader> reader(new ArchiveReader(a, label, limits));
  if (libarchive().archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK)
    reader->fail_malformed("cannot open");
  return reader;
}

void ArchiveReader::fail_malformed(const std::string& what) {
  const char* detail = libarchive().archive_error_string(a_);
  malformed(label_ + ": not a readable package archive (" + what +
            "): " + (detail ? detail : "unexpected end of data or corrupt data"));
}

void ArchiveReader::check_ratio() {
  la_int64_t compressed = libarchive().archive_filter_bytes(a_, -1);
  la_int64_t uncompressed = libarchive().archive_filter_bytes(a_, 0);
  if (uncompressed < 0 || compressed < 0) return;
  auto out = static_cast<std::uint64_t>(uncompressed);
  auto in = static_cast<std::uint64_t>(compressed);
  if (out > limits_.max_total_bytes + (64u << 20))
    refuse(label_ + ": archive expands beyond the limit of " + size_text(limits_.max_total_bytes));
  if (out > limits_.ratio_grace_bytes && out / (in ? in : 1) > limits_.max_ratio)
    refuse(label_ + ": compression ratio above " + std::to_string(limits_.max_ratio) + ":1 (" +
           size_text(out) + " from " + size_text(in) + "); refusing a possible decompression bomb");
}

bool ArchiveReader::next() {
  Utf8LocaleGuard locale;
  archive_entry* entry = nullptr;
  int status = libarchive().archive_read_next_header(a_, &entry);
  if (status == ARCHIVE_EOF) {
    if (entries_ == 0) fail_malformed("no entries");
    return false;
  }
  if (status < ARCHIVE_WARN) fail_malformed(entries_ == 0 ? "header" : "entry header");
  if (entries_ == 0) {
    // Only zstd was enabled, but "none" is always available: insist on the real thing.
    if (libarchive().archive_filter_count(a_) != 2 ||
        libarchive().archive_filter_code(a_, 0) != ARCHIVE_FILTER_ZSTD)
      malformed(label_ + ": not a package: expected a zstd-compressed tar archive");
  }
  ++entries_;
  if (entries_ > limits_.max_entries)
    refuse(label_ + ": more than " + std::to_string(limits_.max_entries) +
           " entries; refusing the archive");
  check_ratio();

  const char* raw_name = libarchive().archive_entry_pathname(entry);
  name_ = raw_name ? raw_name : "";
  std::string shown = printable_name(name_);
  if (libarchive().archive_entry_hardlink(entry))
    refuse(label_ + ": entry " + shown + " is a hard link; packages hold regular files only");
  mode_t type = libarchive().archive_entry_filetype(entry);
  if (type == AE_IFLNK)
    refuse(label_ + ": entry " + shown + " is a symbolic link; packages hold regular files only");
  if (type != AE_IFREG)
    refuse(label_ + ": entry " + shown + " is not a regular file (" +
           (type == AE_IFDIR    ? "directory"
            : type == AE_IFCHR  ? "character device"
            : type == AE_IFBLK  ? "block device"
            : type == AE_IFIFO  ? "FIFO"
            : type == AE_IFSOCK ? "socket"
                                : "unknown type") +
           "); packages hold regular files only");
  if (auto problem = entry_name_problem(name_); !problem.empty())
    refuse(label_ + ": entry " + shown + " refused: " + problem);
  if (libarchive().archive_entry_sparse_count(entry) > 0)
    refuse(label_ + ": entry " + shown + " is a sparse file; packages hold plain files only");
  if (!libarchive().archive_entry_size_is_set(entry) || libarchive().archive_entry_size(entry) < 0)
    refuse(label_ + ": entry " + shown + " has no size");
  declared_size_ = static_cast<std::uint64_t>(libarchive().archive_entry_size(entry));
  if (declared_size_ > limits_.max_entry_bytes)
    refuse(label_ + ": entry " + shown + " is " + size_text(declared_size_) +
           ", above the limit of " + size_text(limits_.max_entry_bytes));
  if (!seen_.insert(name_).second)
    refuse(label_ + ": duplicate entry " + shown + "; a name may appear only once");
  return true;
}

void ArchiveReader::read(const std::function<void(const char*, std::size_t)>& sink,
                         std::uint64_t max_bytes) {
  Utf8LocaleGuard locale;
  std::string shown = printable_name(name_);
  if (declared_size_ > max_bytes)
    refuse(label_ + ": entry " + shown + " is " + size_text(declared_size_) + ", more than the " +
           size_text(max_bytes) + " allowed for it");
  std::uint64_t done = 0;
  for (;;) {
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int status = libarchive().archive_read_data_block(a_, &block, &size, &offset);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) fail_malformed("data of entry " + shown);
    if (offset < 0 || static_cast<std::uint64_t>(offset) != done)
      refuse(label_ + ": entry " + shown + " has holes; packages hold plain files only");
    done += size;
    total_bytes_ += size;
    if (done > declared_size_)
      refuse(label_ + ": entry " + shown + " holds more data than its header declares");
    if (total_bytes_ > limits_.max_total_bytes)
      refuse(label_ + ": more than " + size_text(limits_.max_total_bytes) +
             " uncompressed in all; refusing the archive");
    check_ratio();
    if (size) sink(static_cast<const char*>(block), size);
  }
  if (done != declared_size_)
    malformed(label_ + ": entry " + shown + " is truncated (" + size_text(done) + " of " +
              size_text(declared_size_) + ")");
}

std::string ArchiveReader::read_all(std::uint64_t max_bytes) {
  std::string out;
  if (declared_size_ <= max_bytes) out.reserve(declared_size_);
  read([&](const char* data, std::size_t size) { out.append(data, size); }, max_bytes);
  return out;
}

}  // namespace migpkg::package
