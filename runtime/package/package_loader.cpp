#include "runtime/package/package_loader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>

#include <fstream>
#include <vector>

#include "compiler/json/ir_json.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/json/json_loader.hpp"
#include "compiler/load/data_file.hpp"
#include "compiler/util/sha256.hpp"
#include "runtime/package/archive_reader.hpp"
#include "runtime/package/package_error.hpp"

namespace migpkg::package {

namespace {

// What identifies the file's contents for as long as nobody writes to it.
bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

std::string file_sha256(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) malformed(path + ": cannot read the package file");
  Sha256 hash;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      ::close(fd);
      malformed(path + ": cannot read the package file");
    }
    if (got == 0) break;
    hash.update(buffer.data(), static_cast<std::size_t>(got));
  }
  ::close(fd);
  return hash.hex_digest();
}

VerifyOptions load_options(const ReadLimits& limits) {
  VerifyOptions options;
  options.limits = limits;
  // The data files too: load steps are hashed from them (their checksums cover the hash) and
  // the runtime writes their rows. A load step's file is bounded (kMaxLoadFileBytes).
  options.keep = [](const std::string& name) {
    return name.rfind("ir/", 0) == 0 || name.rfind("data/", 0) == 0;
  };
  return options;
}

// The migrations of a verified package: each IR document must be the one its manifest lists.
void load_migrations(LoadedPackage& loaded, Diagnostics& diagnostics) {
  const std::string& path = loaded.path;
  const Manifest& m = loaded.verified.manifest;
  for (const auto& entry : m.migrations) {
    std::string where = path + ":" + entry.file;
    auto text = loaded.verified.kept.find(entry.file);
    if (text == loaded.verified.kept.end())
      refuse(path + ": the manifest lists migration " + entry.id + " in " + entry.file +
             ", which is not an ir/ document");
    auto document = parse_json_text(text->second, where, diagnostics);
    if (!document) continue;
    auto migration = load_portable_migration(*document, where, diagnostics);
    if (!migration) continue;
    {
      std::vector<ir::Migration> one;
      one.push_back(std::move(*migration));
      const auto& kept = loaded.verified.kept;
      fill_load_files(
          one,
          [&kept](const std::string& file) -> const std::string* {
            auto it = kept.find(file);
            return it == kept.end() ? nullptr : &it->second;
          },
          path, diagnostics);
      migration = std::move(one.front());
    }
    if (migration->plugin_id != m.plugin || migration->id != entry.id ||
        migration->version_text != entry.version)
      refuse(where + ": holds " + migration->plugin_id + "/" + migration->id + " " +
             migration->version_text + " but the signed manifest lists " + m.plugin + "/" +
             entry.id + " " + entry.version);
    std::string checksum = migration_checksum(*migration);
    if (checksum != entry.checksum)
      refuse(where + ": migration " + entry.id + " has checksum " + checksum +
             " but the signed manifest says " + entry.checksum);
    loaded.migrations.push_back(std::move(*migration));
  }
}

}  // namespace

bool is_package_path(const std::string& path) {
  static const std::string extension = ".migpkg";
  struct stat info {};
  bool exists = stat(path.c_str(), &info) == 0;
  if (exists && S_ISDIR(info.st_mode)) return false;  // a plugin directory, whatever its name
  if (path.size() >= extension.size() &&
      path.compare(path.size() - extension.size(), extension.size(), extension) == 0)
    return true;
  if (!exists || !S_ISREG(info.st_mode)) return false;
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[4] = {0, 0, 0, 0};
  in.read(reinterpret_cast<char*>(magic), 4);
  return in.gcount() == 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F &&
         magic[3] == 0xFD;
}

LoadedPackage load_package(const std::string& path, const TrustStore& trust,
                           Diagnostics& diagnostics, const ReadLimits& limits) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) malformed(path + ": no such package file");
  if (!S_ISREG(info.st_mode)) malformed(path + ": not a package file");
  LoadedPackage loaded;
  loaded.path = path;
  // Hashed before it is verified, and refused below if it changed in between: the hash
  // recorded is that of the bytes that were verified.
  loaded.sha256 = file_sha256(path);
  loaded.verified = verify_package_file(path, &trust, load_options(limits));
  struct stat after {};
  if (stat(path.c_str(), &after) != 0 || !same_file(info, after))
    refuse(path + ": the package file changed while it was being read");
  load_migrations(loaded, diagnostics);
  return loaded;
}

LoadedPackage load_package_bytes(const std::string& bytes, const std::string& label,
                                 const TrustStore& trust, Diagnostics& diagnostics,
                                 const ReadLimits& limits) {
  LoadedPackage loaded;
  loaded.path = label;
  Sha256 hash;
  hash.update(bytes.data(), bytes.size());
  loaded.sha256 = hash.hex_digest();
  auto reader = ArchiveReader::open_memory(bytes, label, limits);
  loaded.verified = verify_package(*reader, &trust, load_options(limits));
  load_migrations(loaded, diagnostics);
  return loaded;
}

}  // namespace migpkg::package
