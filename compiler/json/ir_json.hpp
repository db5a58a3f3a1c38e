#pragma once
// The IR written back as a normalized portable-migration-v1 document (enumerations lower-case,
// defaults explicit, members in a fixed order), and the checksum taken over it.
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/ir/ir.hpp"

namespace migpkg {

// The document as text: indent < 0 compact, else indented by that many spaces per level (what
// `migpkg convert` and packages write, with indent 2). to_portable_json is the same, parsed.
std::string portable_json_text(const ir::Migration& migration, int indent);
nlohmann::ordered_json to_portable_json(const ir::Migration& migration);

// "sha256-v1:<hex>": SHA-256 over the canonical form of what the migration *does* (ids,
// version, SQL, transforms, flags, dependencies). Names, descriptions, timestamps, estimates
// and source formatting do not count, so rewording or reformatting a source is not drift.
std::string migration_checksum(const ir::Migration& migration);
inline constexpr const char* kChecksumAlgorithm = "sha256-v1";

}  // namespace migpkg
