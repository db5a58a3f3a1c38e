#pragma once
// `migpkg index build DIR --key K.key`: scans DIR's *.migpkg files (not recursive), checks each
// is a well-formed signed package (hashes and trusted comment; the signature itself only when
// the index key signed it: an installer checks it against its own trust store), and writes
// DIR/index.json and DIR/index.json.minisig atomically. DIR's *.rotation statements (with their
// .minisig) are shipped in the index.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/package/minisign.hpp"
#include "runtime/package/registry_index.hpp"

namespace migpkg::package {

struct IndexBuildOptions {
  std::int64_t now = 0;                  // issued
  std::int64_t expires = 0;              // must be after `now`
  std::optional<std::uint64_t> version;  // default: one more than DIR/index.json's, else 1
  std::vector<KeyId> revoked;
};

struct BuiltIndex {
  RegistryIndex index;
  std::string index_path, signature_path;
  std::string bytes;  // what index.json holds
};

// Throws std::runtime_error (or PackageError for a package that is not well formed).
BuiltIndex build_index(const std::string& dir, const SecretKey& key,
                       const IndexBuildOptions& options);

// SHA-256 of a file, streamed; `size` receives its length. Reads at most `max_bytes` (a longer
// file is refused) and never follows a symbolic link.
std::string file_sha256(const std::string& path, std::uint64_t max_bytes, std::uint64_t& size);

}  // namespace migpkg::package
