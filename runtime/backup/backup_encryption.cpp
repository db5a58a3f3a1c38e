#include "runtime/backup/backup_encryption.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/age_files.hpp"
#include "runtime/crypto/age_stream.hpp"

namespace migpkg::runtime::backup_detail {
namespace {

// A one-file backup's data file once unsealed (SQLite's engine reads the .zst suffix).
const std::string kSqliteData = "backup.sqlite.zst";
const std::string kSealedManifest = "manifest.json.age";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool safe_name(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.find('/') == std::string::npos;
}

// Encrypts `bytes` (read by `source` until it returns 0) into the new private file `to`.
void seal(const crypto::AgeSource& source, const std::string& to,
          const crypto::AgeEncryptTo& recipients) {
  PrivateWriter out(to);
  crypto::AgeEncryptor encryptor(
      [&](const char* data, std::size_t size) { out.write(std::string(data, size)); }, recipients);
  char buffer[1 << 16];
  while (std::size_t n = source(buffer, sizeof buffer)) encryptor.write(buffer, n);
  encryptor.finish();
  out.close();
}

void seal_file(const std::string& from, const std::string& to,
               const crypto::AgeEncryptTo& recipients) {
  int fd = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BackupError("cannot read backup file " + from + ": " + std::strerror(errno));
  try {
    seal(crypto::fd_source(fd, from), to, recipients);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void seal_text(const std::string& text, const std::string& to,
               const crypto::AgeEncryptTo& recipients) {
  std::size_t at = 0;
  seal(
      [&](char* data, std::size_t size) {
        std::size_t n = std::min(size, text.size() - at);
        std::memcpy(data, text.data() + at, n);
        at += n;
        return n;
      },
      to, recipients);
}

// Decrypts the age file `from` into `sink`; every chunk authenticates before its bytes reach
// the sink, and the file must end right after its last chunk.
void open_sealed(const std::string& from, const crypto::AgeDecryptWith& with,
                 const ByteSink& sink) {
  int fd = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BackupError("cannot read backup file " + from + ": " + std::strerror(errno));
  try {
    crypto::AgeDecryptor decryptor(crypto::fd_source(fd, from), with);
    char buffer[1 << 16];
    while (std::size_t n = decryptor.read(buffer, sizeof buffer)) sink(buffer, n);
  } catch (const crypto::AgeError& error) {
    ::close(fd);
    throw BackupAuthenticationError("backup file " + from +
                                    " cannot be decrypted: " + error.what());
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void unseal_file(const std::string& from, const std::string& to,
                 const crypto::AgeDecryptWith& with) {
  PrivateWriter out(to);
  open_sealed(from, with,
              [&](const char* data, std::size_t size) { out.write(std::string(data, size)); });
  out.close();
}

std::string optional_string(const nlohmann::json& manifest, const char* key) {
  auto it = manifest.find(key);
  return it != manifest.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool is_encrypted_backup(const std::string& path) {
  if (!is_directory(path) || !exists(path + "/manifest.json")) return false;
  try {
    return optional_string(read_manifest(path + "/manifest.json"), "encryption") == kEncryption;
  } catch (const BackupError&) {
    return false;
  }
}

std::string seal_backup(const std::string& plain, const std::string& engine,
                        const std::string& directory, const crypto::AgeEncryptTo& to) {
  const bool sqlite = !is_directory(plain);  // one data file beside its manifest
  const std::string manifest_path = sqlite ? plain + ".manifest.json" : plain + "/manifest.json";
  nlohmann::json manifest = read_manifest(manifest_path);
  std::vector<std::string> data_files;
  if (sqlite) {
    data_files.push_back(plain);
  } else {
    for (const auto& table : member(manifest, "tables", manifest_path))
      data_files.push_back(plain + "/" + string_member(table, "file", manifest_path));
  }
  std::string base = base_name(plain);
  for (const char* suffix : {".sqlite.zst", ".sqlite"})
    if (ends_with(base, suffix)) base.resize(base.size() - std::strlen(suffix));

  std::string temp = temp_path(directory, base);
  Cleanup cleanup;
  if (mkdir(temp.c_str(), 0700) != 0)
    throw BackupError("cannot create " + temp + ": " + std::strerror(errno));
  cleanup.add(temp);
  nlohmann::json sealed = nlohmann::json::array({kSealedManifest});
  try {
    seal_text(read_whole_file(manifest_path), temp + "/" + kSealedManifest, to);
    for (std::size_t i = 0; i < data_files.size(); ++i) {
      std::string name = std::to_string(i + 1) + ".age";
      seal_file(data_files[i], temp + "/" + name, to);
      sealed.push_back(name);
    }
  } catch (const crypto::AgeError& error) {
    throw BackupError(std::string("cannot encrypt the backup: ") + error.what());
  }
  nlohmann::json listing = {{"format", kFormat},
                            {"engine", engine},
                            {"created", optional_string(manifest, "created")},
                            {"label", optional_string(manifest, "label")},
                            {"database", optional_string(manifest, "database")},
                            {"compression", optional_string(manifest, "compression")},
                            {"encryption", kEncryption},
                            {"layout", sqlite ? "file" : "directory"},
                            {"sealed", sealed}};
  if (manifest.contains("total_rows")) listing["total_rows"] = manifest["total_rows"];
  write_private_file(temp + "/manifest.json", manifest_text(listing));
  fsync_path(temp);

  // The plain backup goes before the sealed one takes its name; until the rename, neither is a
  // backup anyone can list, and a failure leaves nothing.
  {
    Cleanup plain_files;
    if (sqlite) plain_files.add(manifest_path);
    plain_files.add(plain);
  }
  std::string final_path = publish_unique(temp, directory, base, "");
  fsync_path(directory);
  cleanup.disarm();
  return final_path;
}

std::string unseal_backup(const std::string& path, const crypto::AgeDecryptWith& with,
                          Cleanup& cleanup) {
  const std::string listing_path = path + "/manifest.json";
  nlohmann::json listing = read_manifest(listing_path);
  const std::string engine = string_member(listing, "engine", listing_path);
  const nlohmann::json& sealed = member(listing, "sealed", listing_path);
  std::vector<std::string> files;
  if (sealed.is_array())
    for (const auto& name : sealed)
      if (name.is_string() && safe_name(name.get<std::string>()))
        files.push_back(name.get<std::string>());
  if (files.empty() || files.size() != sealed.size() || files[0] != kSealedManifest)
    throw BackupError("backup manifest " + listing_path +
                      " is damaged: \"sealed\" does not list its encrypted files");
  for (const auto& name : files)
    if (!exists(path + "/" + name))
      throw BackupError("encrypted backup " + path + ": file " + name + " is missing");

  std::string staging = temp_path(parent_directory(path), base_name(path) + ".unsealed");
  if (mkdir(staging.c_str(), 0700) != 0)
    throw BackupError("cannot create " + staging + ": " + std::strerror(errno));
  cleanup.add(staging);

  std::string manifest_text_plain;
  open_sealed(path + "/" + kSealedManifest, with, [&](const char* data, std::size_t size) {
    if (manifest_text_plain.size() + size > (64u << 20))
      throw BackupError("backup file " + path + "/" + kSealedManifest + " is too large");
    manifest_text_plain.append(data, size);
  });
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(manifest_text_plain);
  } catch (const nlohmann::json::exception& error) {
    throw BackupError("backup file " + path + "/" + kSealedManifest +
                      " does not hold a manifest: " + error.what());
  }
  if (optional_string(manifest, "engine") != engine)
    throw BackupError("encrypted backup " + path + ": its sealed manifest is for engine \"" +
                      optional_string(manifest, "engine") + "\", its plain one says \"" + engine +
                      "\"");
  // How the engine laid its backup out: one data file beside its manifest, or a directory.
  if (optional_string(listing, "layout") == "file") {
    if (files.size() != 2)
      throw BackupError("encrypted backup " + path + " should hold one data file, not " +
                        std::to_string(files.size() - 1));
    unseal_file(path + "/" + files[1], staging + "/" + kSqliteData, with);
    write_private_file(staging + "/" + kSqliteData + ".manifest.json", manifest_text_plain);
    return staging + "/" + kSqliteData;
  }
  const nlohmann::json& tables = member(manifest, "tables", listing_path);
  if (!tables.is_array() || tables.size() + 1 != files.size())
    throw BackupError("encrypted backup " + path + " holds " + std::to_string(files.size() - 1) +
                      " data files; its manifest lists " +
                      std::to_string(tables.is_array() ? tables.size() : 0) + " tables");
  for (std::size_t i = 0; i < tables.size(); ++i) {
    std::string name = string_member(tables[i], "file", listing_path);
    if (!safe_name(name))
      throw BackupError("encrypted backup " + path + " names an unsafe data file \"" + name + "\"");
    unseal_file(path + "/" + files[i + 1], staging + "/" + name, with);
  }
  write_private_file(staging + "/manifest.json", manifest_text_plain);
  return staging;
}

}  // namespace migpkg::runtime::backup_detail
