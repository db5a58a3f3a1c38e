#pragma once
// The IR written back as a normalized portable-migration-v1 document (enumerations lower-case,
// defaults explicit, members in a fixed order), and the checksum taken over it.
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/ir/ir.hpp"

namespace migpkg {

nlohmann::ordered_json to_portable_json(const ir::Migration& migration);

// "sha256-v1:<hex>": SHA-256 over the canonical form of what the migration *does* (ids,
// version, SQL, transforms, flags, dependencies). Names, descriptions, timestamps, estimates
// and source formatting do not count, so rewording or reformatting a source is not drift.
std::string migration_checksum(const ir::Migration& migration);
inline constexpr const char* kChecksumAlgorithm = "sha256-v1";

}  // namespace migpkg
