#pragma once
// `pack`: one plugin directory -> a signed package (docs/package-format.md). Compiles every
// registered dialect (dialect_names(): a dialect a migration has no SQL for is recorded as
// unsupported, not fatal), bundles the sources, the normalized IR, plans, data/ and the
// manifest, signs the manifest, and checks the result with the verifier before returning it.
#include <cstdint>
#include <string>

#include "compiler/diagnostics/diagnostic.hpp"
#include "runtime/package/manifest.hpp"
#include "runtime/package/minisign.hpp"

namespace migpkg::package {

struct BuiltPackage {
  std::string bytes;  // the .migpkg file; empty when diagnostics has errors
  Manifest manifest;
};

// Source problems are reported as diagnostics (file:line:col / JSON pointer); `mtime` is the
// timestamp of every entry (package_mtime()).
BuiltPackage build_package(const std::string& directory, const SecretKey& key, std::int64_t mtime,
                           Diagnostics& diagnostics);

}  // namespace migpkg::package
