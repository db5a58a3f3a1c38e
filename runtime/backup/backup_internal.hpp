#pragma once
// Internal to runtime/backup and the engines' backups (runtime/engines/<name>/backup*.cpp): what
// they share — file handling that leaves
// nothing half-written behind, SHA-256, the manifest, and the comparison of recorded and found
// table digests.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/util/sha256.hpp"
#include "runtime/backup/backup.hpp"

namespace migpkg::data {
class ZstdCompressor;
}

namespace migpkg::runtime::backup_detail {

inline constexpr const char* kFormat = "migpkg-backup-v1";

// Backup data files are written zstd-compressed, named with this suffix. Readers decide by the
// suffix, so backups written before compression (plain .sqlite / .copy / .rows files) still read.
inline constexpr const char* kCompressedSuffix = ".zst";
inline constexpr const char* kCompression = "zstd";  // the manifest's "compression"
bool is_compressed(const std::string& path);

// Streams a data file's bytes, decompressed when it is compressed, to `sink` through a fixed
// buffer. Throws BackupError naming the file (unreadable, not zstd, cut short, checksum wrong).
using ByteSink = std::function<void(const char* data, std::size_t size)>;
void read_data_file(const std::string& path, const ByteSink& sink);
// The same for a file whose name does not tell (a temporary name).
void read_data_file(const std::string& path, bool compressed, const ByteSink& sink);
// The same, split into lines (without their newline; a last line without one is passed too).
void read_data_lines(const std::string& path, const std::function<void(const std::string&)>& line);
// Copies a data file's (decompressed) bytes into a new private file (O_EXCL, 0600, fsynced),
// returning their SHA-256.
std::string expand_data_file(const std::string& from, const std::string& to);
// Writes `from`'s bytes zstd-compressed into a new private file `to` (O_EXCL, 0600, fsynced).
void compress_file(const std::string& from, const std::string& to);

// Table data is hashed as it streams to or from disk.
using migpkg::Sha256;
using migpkg::sha256_hex;
std::string sha256_of_file(const std::string& path);  // throws BackupError
// A table's data file (one row a line): its lines counted and its SHA-256, read once
// (decompressed when the file is compressed).
struct LineFileDigest {
  std::int64_t rows = 0;
  std::string sha256;
};
LineFileDigest digest_line_file(const std::string& path);  // throws BackupError

// What the manifest records per table and what verification recomputes.
struct TableDigest {
  std::string schema;  // "" on SQLite
  std::string name;
  std::int64_t rows = 0;
  std::string sha256;
};

// The backup's overall hash: over the sorted per-table digests, so that it changes whenever any
// table's rows, row count or name changes.
std::string overall_sha256(const std::vector<TableDigest>& tables);

// "schema.name" or "name", for messages.
std::string display_name(const TableDigest& table);

// Throws BackupError naming the first difference (a table missing or extra, a row count or a
// hash) between what `expected` records and what `found` holds; `where` says what was checked
// and `source` where the expectation comes from.
void compare_digests(const std::vector<TableDigest>& expected,
                     const std::vector<TableDigest>& found, const std::string& where,
                     const std::string& source = "the manifest");

BackupInfo info_from(const std::string& path, const std::string& engine,
                     const std::vector<TableDigest>& tables);

// Time stamps: "20261121T064000Z" for names, "2026-11-21T06:40:00Z" for manifests.
struct Timestamps {
  std::string compact;
  std::string iso;
};
Timestamps utc_timestamps();

// The label as a file-name part: anything but [A-Za-z0-9._-] becomes '_', a leading '.' too.
std::string safe_label(const std::string& label);

// mkdir -p; new directories get mode 0700 because backups hold user data.
void ensure_directory(const std::string& directory);

// A unique hidden name in `directory` for work in progress, e.g. ".x.sqlite.tmp-123-4".
std::string temp_path(const std::string& directory, const std::string& final_name);

// Renames `from` to the first of base+suffix, base+"-2"+suffix, ... that does not exist yet and
// returns that path; never replaces an existing backup.
std::string publish_unique(const std::string& from, const std::string& directory,
                           const std::string& base, const std::string& suffix);
void publish_exact(const std::string& from, const std::string& to);  // fails if `to` exists

// Creates (O_EXCL, mode 0600 whatever the umask) and writes a whole file, then fsyncs it.
void write_private_file(const std::string& path, const std::string& content);
void create_private_file(const std::string& path);  // empty, O_EXCL, 0600
std::string read_whole_file(const std::string& path);

// A new private data file (O_EXCL, 0600) written through a buffer and fsynced on close(); the
// engines' backups write their table files with it, with `compress` through zstd. Throws
// BackupError naming the file.
class PrivateWriter {
 public:
  explicit PrivateWriter(const std::string& path, bool compress = false);
  ~PrivateWriter();
  PrivateWriter(const PrivateWriter&) = delete;
  PrivateWriter& operator=(const PrivateWriter&) = delete;
  void write(const std::string& data);
  void close();

 private:
  void flush();
  void append(const char* data, std::size_t size);
  [[noreturn]] void fail(const char* what);
  std::string path_, buffer_;
  int fd_ = -1;
  std::unique_ptr<data::ZstdCompressor> compressor_;
};
void fsync_path(const std::string& path);  // a file or a directory
bool is_directory(const std::string& path);
bool exists(const std::string& path);
std::string parent_directory(const std::string& path);
std::string base_name(const std::string& path);

// Removes the listed paths (files, or directories with the files in them) when destroyed unless
// disarmed: a failed backup leaves nothing behind.
class Cleanup {
 public:
  Cleanup() = default;
  ~Cleanup();
  Cleanup(const Cleanup&) = delete;
  Cleanup& operator=(const Cleanup&) = delete;
  void add(const std::string& path) { paths_.push_back(path); }
  void disarm() { paths_.clear(); }

 private:
  std::vector<std::string> paths_;
};

// Manifest file handling; throws BackupError naming the file.
nlohmann::json read_manifest(const std::string& manifest_path);
std::vector<TableDigest> manifest_tables(const nlohmann::json& manifest,
                                         const std::string& manifest_path);
std::string manifest_text(const nlohmann::json& manifest);  // stable, pretty, newline-terminated

// Required members of a manifest, with a clear error when missing or of the wrong type.
const nlohmann::json& member(const nlohmann::json& object, const char* key,
                             const std::string& manifest_path);
std::string string_member(const nlohmann::json& object, const char* key,
                          const std::string& manifest_path);

}  // namespace migpkg::runtime::backup_detail
