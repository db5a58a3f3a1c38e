#pragma once
// What an installer remembers of the registry indexes it accepted, so that it can refuse being
// rolled back to an older one: TRUST/index-state/<KEYID>.json per trusted key (the key the
// index's signer goes back to through rotation statements, so that a rotation does not reset
// it), holding the highest index version accepted. Written atomically; a damaged file is
// refused, never silently reset (docs/trust.md).
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/package/minisign.hpp"

namespace migpkg::package {

inline constexpr const char* kIndexStateFormat = "migpkg-index-state-v1";

struct IndexState {
  KeyId key_id{};
  std::uint64_t version = 0;
  std::string expires;   // of that index
  std::string accepted;  // when, RFC 3339 UTC
  std::string index;     // where it was read
};

std::string index_state_path(const std::string& trust_directory, const KeyId& key);
std::optional<IndexState> read_index_state(const std::string& trust_directory, const KeyId& key);
// Creates TRUST/index-state when needed. Throws std::runtime_error when it cannot write.
void write_index_state(const std::string& trust_directory, const IndexState& state);

}  // namespace migpkg::package
