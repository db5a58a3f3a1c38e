#pragma once
// Install and plan from a package: verify it (package_verifier.hpp), then load the normalized IR
// it carries. The IR is what runs; the plans in the package are for reviewers and registries.
// Each IR document must be the migration the signed manifest lists (id, plugin, checksum).
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"
#include "runtime/package/package_verifier.hpp"

namespace migpkg::package {

struct LoadedPackage {
  std::string path;
  // SHA-256 of the file's bytes, lower-case hex: what the installer records as the migrations'
  // provenance (with verified.key_id), and what `sha256sum` prints for the file.
  std::string sha256;
  VerifiedPackage verified;
  std::vector<ir::Migration> migrations;  // in manifest order, not yet validated
};

// A path names a package when it ends in ".migpkg" or starts with the zstd magic number.
bool is_package_path(const std::string& path);

// Refusals (signature, trust, hashes, hostile archive, IR not matching the manifest) throw
// PackageError; IR shape problems (which a signed package should never have) are diagnostics.
LoadedPackage load_package(const std::string& path, const TrustStore& trust,
                           Diagnostics& diagnostics, const ReadLimits& limits = {});

// The same from a package's bytes already in memory (`install --index` reads each file once,
// hashes it against the index and verifies those bytes); `label` names it in messages.
LoadedPackage load_package_bytes(const std::string& bytes, const std::string& label,
                                 const TrustStore& trust, Diagnostics& diagnostics,
                                 const ReadLimits& limits = {});

}  // namespace migpkg::package
