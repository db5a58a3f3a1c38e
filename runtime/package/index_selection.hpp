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
//   5. each PLUGIN@RANGE resolves to the highest listed version in range;
//   6. each chosen file's size and SHA-256 must equal the index's, before it is opened as an
//      archive.
// The caller then loads each package (package_loader.hpp) with the same trust store and calls
// check_against_index, and records the index state only once everything is accepted.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/package/index_state.hpp"
#include "runtime/package/registry_index.hpp"
#include "runtime/package/trust_store.hpp"

namespace migpkg::package {

struct IndexSelection {
  std::string index_path;
  RegistryIndex index;
  KeyId signer{};
  std::string signer_chain;  // TrustStore::describe_chain of the signer
  KeyId state_key{};         // the trusted key the signer goes back to
  std::vector<IndexPackage> chosen;
  std::vector<std::string> package_paths;  // beside the index, checked against it
};

// `location` is a directory (its index.json) or the index file itself. Refusals throw
// PackageError (exit 3); a requirement that matches nothing listed is a std::runtime_error.
IndexSelection select_from_index(const std::string& location, TrustStore& trust,
                                 const std::string& trust_directory,
                                 const std::vector<std::string>& requirements, std::int64_t now);

// After the package at `path` was verified: its signer and plugin version must be the index's,
// and no key its trust goes through may be revoked by the index.
void check_against_index(const IndexSelection& selection, const IndexPackage& entry,
                         const std::string& path, const std::string& plugin,
                         const std::string& version, const KeyId& signer, const TrustStore& trust);

// Records the accepted index in TRUST/index-state (never lowers the version kept).
void record_index_state(const std::string& trust_directory, const IndexSelection& selection,
                        std::int64_t now);

}  // namespace migpkg::package
