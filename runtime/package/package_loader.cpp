#include "runtime/package/package_loader.hpp"

#include <sys/stat.h>

#include <fstream>

#include "compiler/json/ir_json.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/json/json_loader.hpp"
#include "compiler/load/data_file.hpp"
#include "runtime/package/package_error.hpp"

namespace migpkg::package {

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
  VerifyOptions options;
  options.limits = limits;
  // The data files too: load steps are hashed from them (their checksums cover the hash) and
  // the runtime writes their rows. A load step's file is bounded (kMaxLoadFileBytes).
  options.keep = [](const std::string& name) {
    return name.rfind("ir/", 0) == 0 || name.rfind("data/", 0) == 0;
  };
  loaded.verified = verify_package_file(path, &trust, options);
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
  return loaded;
}

}  // namespace migpkg::package
