#include "runtime/package/archive_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "runtime/package/entry_name.hpp"
#include "runtime/package/libarchive_api.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/utf8_locale.hpp"

namespace migpkg::package {
namespace {

struct ArchiveDeleter {
  void operator()(archive* a) const { libarchive().archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { libarchive().archive_entry_free(e); }
};

la_ssize_t append_to_string(archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

void check(archive* a, int status, const std::string& what) {
  if (status < ARCHIVE_WARN) {
    const char* detail = libarchive().archive_error_string(a);
    malformed("cannot write package archive (" + what + "): " + (detail ? detail : "unknown"));
  }
}

}  // namespace

std::string write_archive(const std::vector<ArchiveMember>& members, std::int64_t mtime) {
  Utf8LocaleGuard locale;
  std::string out;
  std::unique_ptr<archive, ArchiveDeleter> a(libarchive().archive_write_new());
  if (!a) throw std::bad_alloc();
  check(a.get(), libarchive().archive_write_set_format_pax_restricted(a.get()), "tar format");
  check(a.get(), libarchive().archive_write_add_filter_zstd(a.get()), "zstd filter");
  // Fill the last block instead of padding to 10 KiB records: smaller and still standard.
  check(a.get(), libarchive().archive_write_set_bytes_in_last_block(a.get(), 1), "block size");
  check(
      a.get(),
      libarchive().archive_write_open2(a.get(), &out, nullptr, append_to_string, nullptr, nullptr),
      "open");
  for (const auto& member : members) {
    if (auto problem = entry_name_problem(member.name); !problem.empty())
      malformed("cannot pack " + printable_name(member.name) + ": " + problem);
    std::unique_ptr<archive_entry, EntryDeleter> entry(libarchive().archive_entry_new());
    libarchive().archive_entry_set_pathname_utf8(entry.get(), member.name.c_str());
    libarchive().archive_entry_set_filetype(entry.get(), AE_IFREG);
    libarchive().archive_entry_set_perm(entry.get(), 0644);
    libarchive().archive_entry_set_size(entry.get(),
                                        static_cast<la_int64_t>(member.content.size()));
    libarchive().archive_entry_set_mtime(entry.get(), mtime, 0);
    libarchive().archive_entry_set_uid(entry.get(), 0);
    libarchive().archive_entry_set_gid(entry.get(), 0);
    check(a.get(), libarchive().archive_write_header(a.get(), entry.get()), member.name);
    std::size_t done = 0;
    while (done < member.content.size()) {
      std::size_t chunk = std::min<std::size_t>(member.content.size() - done, 1u << 20);
      la_ssize_t written =
          libarchive().archive_write_data(a.get(), member.content.data() + done, chunk);
      if (written <= 0) check(a.get(), ARCHIVE_FATAL, member.name);
      done += static_cast<std::size_t>(written);
    }
  }
  check(a.get(), libarchive().archive_write_close(a.get()), "close");
  return out;
}

std::int64_t package_mtime() {
  const char* text = std::getenv("SOURCE_DATE_EPOCH");
  if (!text || !*text) return 0;
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < 0 || text[0] == '+' || text[0] == ' ')
    throw std::invalid_argument("SOURCE_DATE_EPOCH must be a non-negative integer, not '" +
                                std::string(text) + "'");
  return value;
}

}  // namespace migpkg::package
