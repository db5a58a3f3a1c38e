#pragma once
// The `.migdata` form of a data set: one tar (pax restricted, not compressed as a whole: each
// table file carries its own compression, so a member's SHA-256 in dataset.json is of the bytes
// in the tar), written reproducibly like packages (runtime/package/archive_writer.hpp: mode
// 0644, uid/gid 0, mtime $SOURCE_DATE_EPOCH or 0, members in the order given).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct archive;

namespace migpkg::crypto {
struct AgeEncryptTo;
struct AgeDecryptWith;
class AgeDecryptor;
}  // namespace migpkg::crypto

namespace migpkg::data {

struct TarMember {
  std::string name;  // inside the tar
  std::string path;  // the file on disk whose bytes it holds
};

// Writes the tar to `out_path` (created or truncated), streaming each file; with `encrypt_to`,
// the tar is written through an age encryptor (runtime/crypto/age_stream.hpp), the whole file
// one age file.
void write_migdata(const std::string& out_path, const std::vector<TarMember>& members,
                   const crypto::AgeEncryptTo* encrypt_to = nullptr);

// Reads a `.migdata` tar as hostile input, one member at a time, without extracting anything:
// each member must be a regular file (no link, device, directory or sparse file) with a plain
// name (runtime/package/entry_name.hpp), not seen before, within the member count; its data is
// read in chunks and must be exactly the size its header declares.
//
// With `age`, the file is an age file holding the tar: it is decrypted as it is read (libarchive
// reads through a callback), and an age failure (AgeError) is thrown as itself.
class MigdataReader {
 public:
  MigdataReader(const std::string& path, std::uint64_t max_members,
                const crypto::AgeDecryptWith* age = nullptr);
  ~MigdataReader();
  MigdataReader(const MigdataReader&) = delete;
  MigdataReader& operator=(const MigdataReader&) = delete;
  // Moves to the next member; false at the end.
  bool next();
  const std::string& name() const { return name_; }
  std::uint64_t size() const { return size_; }
  // The current member's data, in chunks; more than `max_bytes` is refused.
  void read(const std::function<void(const char*, std::size_t)>& sink, std::uint64_t max_bytes);
  // For an age file: decrypts the rest of the file after the tar, so that every chunk up to
  // the last has authenticated (a tar's end does not prove the file's). Nothing for a plain tar.
  void authenticate_to_end();

  struct AgeInput;  // the decrypting read callback's state

 private:
  [[noreturn]] void fail(const std::string& what) const;
  archive* a_ = nullptr;
  std::unique_ptr<AgeInput> age_;
  std::string path_, name_;
  std::uint64_t size_ = 0, members_ = 0, max_members_;
  std::vector<std::string> seen_;
};

}  // namespace migpkg::data
