#pragma once
// A registry's signed index (docs/trust.md, "The signed registry index";
// schemas/index.schema.json): index.json lists every package of a registry directory with the
// SHA-256 and size of its file, and index.json.minisig is its minisign signature (trusted comment
// "migpkg index version:N expires:T"). Installers refuse an index older than one they accepted
// (rollback), an expired one (freeze), a package whose bytes differ from it, and keys it lists as
// revoked.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/package/key_rotation.hpp"
#include "runtime/package/minisign.hpp"

namespace migpkg::package {

inline constexpr const char* kIndexFormat = "migpkg-index-v1";
inline constexpr const char* kIndexName = "index.json";
inline constexpr std::size_t kMaxIndexBytes = 8u << 20;
inline constexpr std::size_t kMaxIndexPackages = 20000;
inline constexpr std::size_t kMaxIndexSignatureBytes = 4096;

struct IndexPackage {
  std::string plugin, version;
  std::string file;  // a bare file name in the index's directory
  std::uint64_t size = 0;
  std::string sha256;  // of the whole file, lower-case hex
  KeyId key_id{};      // the key that signed the package's manifest
};

struct RegistryIndex {
  std::uint64_t version = 1;
  std::string issued, expires;  // RFC 3339 UTC
  std::vector<IndexPackage> packages;
  std::vector<KeyId> revoked;
  std::vector<RotationStatement> rotations;

  bool is_revoked(const KeyId& id) const;
};

// Deterministic bytes: packages by plugin, then version (semver order), then file; revoked key
// ids and rotations sorted; two-space-indented JSON and a final newline.
std::string index_bytes(RegistryIndex index);
std::string index_trusted_comment(const RegistryIndex& index);

// Strict reading (bounded, no unknown members, names without '/' or "..", unique files and
// plugin versions). Refuses (PackageError) naming `label` and the JSON pointer.
RegistryIndex parse_index(const std::string& bytes, const std::string& label);

// Whether `name` may be an index's package file: a bare "*.migpkg" name, no '/', no leading '.',
// printable ASCII only. Returns the problem, or "".
std::string index_file_name_problem(const std::string& name);

}  // namespace migpkg::package
