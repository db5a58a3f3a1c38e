#pragma once
// What an installer remembers of the registry indexes it accepted, so that it can refuse being
// rolled back to an older one: TRUST/index-state/<KEYID>.json per trusted key (the key the
// index's signer goes back to through rotation statements, so that a rotation does not reset
// it), holding the highest index version accepted, the latest issue time accepted, and every key
// an accepted index revoked (a revocation stays when a later index no longer lists it, and holds
// for every index this trust directory is shown). Written atomically; a damaged file is refused,
// never silently reset (docs/trust.md). Files written before "issued" and "revokedKeys" existed
// read as having neither.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/package/minisign.hpp"

namespace migpkg::package {

inline constexpr const char* kIndexStateFormat = "migpkg-index-state-v1";
inline constexpr std::size_t kMaxIndexStateBytes = 1u << 20;  // room for every revoked key

struct IndexState {
  KeyId key_id{};
  std::uint64_t version = 0;
  std::string expires;         // of that index
  std::string accepted;        // when, RFC 3339 UTC
  std::string index;           // where it was read
  std::string issued;          // the latest issue time accepted, RFC 3339 UTC ("" in older files)
  std::vector<KeyId> revoked;  // every key an accepted index listed as revoked, sorted
};

// A key some accepted index revoked, and the state file that remembers it.
struct RememberedRevocation {
  KeyId key{};
  std::string state_file;
};

std::string index_state_path(const std::string& trust_directory, const KeyId& key);
std::optional<IndexState> read_index_state(const std::string& trust_directory, const KeyId& key);
// Every key revoked in any state file of TRUST/index-state (each file read strictly, as above).
std::vector<RememberedRevocation> remembered_revocations(const std::string& trust_directory);
// Creates TRUST/index-state when needed. Throws std::runtime_error when it cannot write.
void write_index_state(const std::string& trust_directory, const IndexState& state);

}  // namespace migpkg::package
