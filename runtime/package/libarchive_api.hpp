#pragma once
// libarchive, loaded the first time a package is read or written instead of at start-up: with
// its compression and XML libraries it is a dozen shared objects that a run installing from
// sources never uses, and mapping them costs every process about a millisecond. The calls keep
// libarchive's own names and types (each member is `decltype(&::archive_...)`), so the compiler
// still checks every call against <archive.h>.
#include <archive.h>
#include <archive_entry.h>

namespace migpkg::package {

// Every libarchive function migpkg calls.
#define MIGPKG_LIBARCHIVE_FUNCTIONS(X)                                                             \
  X(archive_error_string)                                                                          \
  X(archive_filter_bytes)                                                                          \
  X(archive_filter_code) X(archive_filter_count) X(archive_read_new) X(archive_read_free)          \
      X(archive_read_support_format_tar) X(archive_read_support_filter_zstd)                       \
          X(archive_read_open_filename) X(archive_read_open_memory) X(archive_read_next_header)    \
              X(archive_read_data_block) X(archive_write_new) X(archive_write_free)                \
                  X(archive_write_set_format_pax_restricted) X(archive_write_add_filter_zstd)      \
                      X(archive_write_set_bytes_in_last_block) X(archive_write_open2)              \
                          X(archive_write_header) X(archive_write_data) X(archive_write_close)     \
                              X(archive_entry_new) X(archive_entry_free) X(archive_entry_pathname) \
                                  X(archive_entry_hardlink) X(archive_entry_filetype)              \
                                      X(archive_entry_size) X(archive_entry_size_is_set)           \
                                          X(archive_entry_sparse_count)                            \
                                              X(archive_entry_set_pathname_utf8)                   \
                                                  X(archive_entry_set_filetype)                    \
                                                      X(archive_entry_set_perm)                    \
                                                          X(archive_entry_set_size)                \
                                                              X(archive_entry_set_mtime)           \
                                                                  X(archive_entry_set_uid)         \
                                                                      X(archive_entry_set_gid)     \
                                                                          X(archive_read_open)

struct Libarchive {
#define MIGPKG_LIBARCHIVE_MEMBER(name) decltype(&::name) name;
  MIGPKG_LIBARCHIVE_FUNCTIONS(MIGPKG_LIBARCHIVE_MEMBER)
#undef MIGPKG_LIBARCHIVE_MEMBER
};

// The library, loaded and resolved on the first call. Throws PackageError when it cannot be
// loaded or lacks a function (the message names which).
const Libarchive& libarchive();

}  // namespace migpkg::package
