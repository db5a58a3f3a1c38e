#include "unit/package_test_support.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <catch2/catch.hpp>
#include <stdexcept>

#include "runtime/package/minisign.hpp"
#include "unit/test_support.hpp"

namespace migpkg::test {

std::vector<RawEntry> read_raw_entries(const std::string& bytes) {
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_zstd(a);
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK)
    throw std::runtime_error("raw read: cannot open");
  std::vector<RawEntry> entries;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    RawEntry raw;
    raw.name = archive_entry_pathname(entry);
    char buffer[65536];
    la_ssize_t n;
    while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0)
      raw.content.append(buffer, static_cast<std::size_t>(n));
    entries.push_back(raw);
  }
  archive_read_free(a);
  return entries;
}

namespace {
la_ssize_t append(archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}
}  // namespace

std::string write_raw_archive(const std::vector<RawEntry>& entries, bool compress) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (compress) archive_write_add_filter_zstd(a);
  // Without this the compressed stream is padded with zeros to 10 KiB, which is no zstd frame.
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open2(a, &out, nullptr, append, nullptr, nullptr);
  for (const auto& raw : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, raw.name.c_str());
    archive_entry_set_perm(entry, 0644);
    switch (raw.kind) {
      case RawEntry::Kind::File:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_size(entry, static_cast<la_int64_t>(raw.content.size()));
        break;
      case RawEntry::Kind::Symlink:
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_symlink(entry, raw.link.c_str());
        break;
      case RawEntry::Kind::Hardlink:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_hardlink(entry, raw.link.c_str());
        archive_entry_set_size(entry, 0);
        break;
      case RawEntry::Kind::Directory:
        archive_entry_set_filetype(entry, AE_IFDIR);
        break;
      case RawEntry::Kind::CharDevice:
        archive_entry_set_filetype(entry, AE_IFCHR);
        archive_entry_set_rdev(entry, makedev(1, 3));
        break;
    }
    if (archive_write_header(a, entry) != ARCHIVE_OK)
      throw std::runtime_error(std::string("raw write: ") + archive_error_string(a));
    if (raw.kind == RawEntry::Kind::File && !raw.content.empty())
      archive_write_data(a, raw.content.data(), raw.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

const RawEntry* find_entry(const std::vector<RawEntry>& entries, const std::string& name) {
  for (const auto& entry : entries)
    if (entry.name == name) return &entry;
  return nullptr;
}

void make_key(const std::string& dir, const std::string& name) {
  auto result = run_cli("keygen -o '" + dir + "/" + name + "' --no-password");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
}

std::string pack(const std::string& source, const std::string& out, const std::string& key) {
  auto result = run_cli("pack '" + source + "' -o '" + out + "' --key '" + key + "'");
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return read_file(out);
}

std::string sign_with(const std::string& key_path, const std::string& manifest,
                      const std::string& trusted_comment) {
  auto key = package::parse_secret_key(read_file(key_path), key_path, [] { return std::string(); });
  return package::sign_message(key, manifest, trusted_comment);
}

std::string file_state(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return "missing";
  std::string bytes = read_file(path);
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[2 * sizeof hash + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

}  // namespace migpkg::test
