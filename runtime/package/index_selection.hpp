#pragma once
// `install PLUGIN@RANGE... --index DIR|DIR/index.json`: the index is verified before anything
// else is read from it, then the packages are chosen and checked against it, in this order:
//   1. the signature (bounded read) must be by a key the trust store trusts, directly or through
//      its rotation statements, and verify -- before the index is parsed;
//   2. the index is parsed strictly; its trusted comment must name its version and expiry;
//   3. its rotation statements join the trust store (a forged one is refused);
//   4. refused: a signer (or a key its chain goes through) the index lists as revoked; an
//      expired index (freeze); a version lower than the highest this trust directory accepted
//      for the signer's trusted key (rollback; TRUST/index-state, index_state.hpp);
//   4b. refused too: an index issued in the future (beyond kIndexClockSkewSeconds) or before the
//      latest issue time accepted for that trusted key (rollback), and a signer (or a key its
//      chain goes through) that any index accepted before revoked (TRUST/index-state keeps the
//      revocations, so an index that no longer lists one cannot bring the key back);
//   5. each PLUGIN@RANGE resolves to the highest listed version in range;
//   6. each chosen file is read once into memory (at most its listed size, itself at most
//      kMaxIndexedPackageBytes), and its size and SHA-256 must equal the index's.
// The caller then verifies and loads each package from those bytes (load_index_packages; the
// file is never opened again, so a file swapped after hashing cannot matter), and records the
// index state only once everything is accepted.
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "runtime/package/index_state.hpp"
#include "runtime/package/package_loader.hpp"
#include "runtime/package/registry_index.hpp"
#include "runtime/package/trust_store.hpp"

namespace migpkg::package {

// How far in the future an index's issue time may be (the registry's clock against ours).
inline constexpr std::int64_t kIndexClockSkewSeconds = 300;
// The largest package an installer reads from an index: it is held in memory whole.
inline constexpr std::uint64_t kMaxIndexedPackageBytes = 512ull << 20;

struct IndexSelection {
  std::string index_path;
  RegistryIndex index;
  KeyId signer{};
  std::string signer_chain;  // TrustStore::describe_chain of the signer
  KeyId state_key{};         // the trusted key the signer goes back to
  std::vector<IndexPackage> chosen;
  std::vector<std::string> package_paths;        // beside the index, checked against it
  std::vector<std::string> package_bytes;        // each file's bytes, as hashed against the index
  std::vector<RememberedRevocation> remembered;  // revocations earlier indexes made
};

// `location` is a directory (its index.json) or the index file itself. Refusals throw
// PackageError (exit 3); a requirement that matches nothing listed is a std::runtime_error.
IndexSelection select_from_index(const std::string& location, TrustStore& trust,
                                 const std::string& trust_directory,
                                 const std::vector<std::string>& requirements, std::int64_t now);

// Verifies and loads each chosen package from selection.package_bytes (never from its file
// again), then check_against_index. Refusals throw PackageError.
std::vector<LoadedPackage> load_index_packages(const IndexSelection& selection,
                                               const TrustStore& trust, Diagnostics& diagnostics);

// After the package at `path` was verified: its signer and plugin version must be the index's,
// and no key its trust goes through may be revoked by the index or by one accepted before.
void check_against_index(const IndexSelection& selection, const IndexPackage& entry,
                         const std::string& path, const std::string& plugin,
                         const std::string& version, const KeyId& signer, const TrustStore& trust);

// Records the accepted index in TRUST/index-state: never lowers the version or issue time kept,
// and adds the index's revocations to those kept.
void record_index_state(const std::string& trust_directory, const IndexSelection& selection,
                        std::int64_t now);

}  // namespace migpkg::package
