#pragma once
// manifest.json: what a package holds and what it claims to be. It is the one file the
// signature covers; every other member is bound to it by size and hash (docs/package-format.md,
// schemas/manifest.schema.json).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace migpkg::package {

inline constexpr const char* kPackageFormat = "migpkg-package-v1";
inline constexpr const char* kManifestName = "manifest.json";
inline constexpr const char* kSignatureName = "manifest.json.minisig";

struct ManifestFile {
  std::string path;
  std::uint64_t size = 0;
  std::string hash;  // BLAKE2b-256, lower-case hex
};

struct ManifestMigration {
  std::string id, version, checksum;
  std::string file;  // the normalized IR document in the package: "ir/<n>-<id>.json"
};

struct UnsupportedEngine {
  std::string engine, reason;
};

struct Manifest {
  std::string format = kPackageFormat;
  std::string plugin, version;
  std::string built_with;                 // "migpkg 0.1.0"
  std::vector<std::string> dependencies;  // plugin requirements (plugin@range) of its migrations
  std::vector<std::string> conflicts;     // plugin ids or plugin@range
  std::vector<std::string> engines;       // dialects with a plan in plans/
  std::vector<UnsupportedEngine> unsupported_engines;
  std::vector<ManifestMigration> migrations;
  std::vector<ManifestFile> files;  // every member but manifest.json and its signature, sorted

  const ManifestFile* find_file(const std::string& path) const;
};

nlohmann::ordered_json manifest_to_json(const Manifest& manifest);
// The exact bytes that are signed: two-space-indented JSON and a final newline.
std::string manifest_bytes(const Manifest& manifest);

// Strict reading of a manifest (after its signature checked out): bounded JSON, no unknown
// members, valid names, sizes and hashes, every listed path unique. Refuses (PackageError)
// with the JSON pointer of the first problem; `label` names the package.
Manifest parse_manifest(const std::string& bytes, const std::string& label,
                        std::uint64_t max_entry_bytes, std::uint64_t max_entries);

// The trusted comment a package's signature carries, which binds plugin and version.
std::string trusted_comment_for(const std::string& plugin, const std::string& version);

}  // namespace migpkg::package
