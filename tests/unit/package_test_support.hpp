#pragma once
// Helpers for the package tests: key pairs made by the CLI, packages packed by the CLI, and raw
// archive reading and writing that bypasses every check of migpkg's own reader, so tests can
// build exactly the hostile archives they mean to.
#include <string>
#include <vector>

namespace migpkg::test {

struct RawEntry {
  enum class Kind { File, Symlink, Hardlink, Directory, CharDevice };
  RawEntry() = default;
  RawEntry(std::string name_, std::string content_, Kind kind_ = Kind::File, std::string link_ = "")
      : name(std::move(name_)), content(std::move(content_)), kind(kind_), link(std::move(link_)) {}
  std::string name;
  std::string content;
  Kind kind = Kind::File;
  std::string link;  // target of a symlink or hardlink
};

// Every entry of a .tar.zst in archive order, read with plain libarchive (no limits, no checks).
std::vector<RawEntry> read_raw_entries(const std::string& archive_bytes);
// A pax tar, zstd-compressed unless `compress` is false, holding exactly these entries.
std::string write_raw_archive(const std::vector<RawEntry>& entries, bool compress = true);
const RawEntry* find_entry(const std::vector<RawEntry>& entries, const std::string& name);

// `migpkg keygen -o DIR/NAME --no-password`; fails the test if it does not succeed.
void make_key(const std::string& dir, const std::string& name);
// `migpkg pack SOURCE -o OUT --key KEY`; fails the test unless it succeeds; returns OUT's bytes.
std::string pack(const std::string& source, const std::string& out, const std::string& key);
// A minisign signature of `manifest` by the (unencrypted) secret key file, with this trusted
// comment: what a publisher who re-signs a doctored manifest would produce.
std::string sign_with(const std::string& key_path, const std::string& manifest,
                      const std::string& trusted_comment);

// SHA-256 of a file's bytes, or "missing": to prove a database file was not touched.
std::string file_state(const std::string& path);

}  // namespace migpkg::test
