#pragma once
// The portable-migration-v1 front end: a parsed JSON document -> one ir::Migration.
// Only shape is checked here (members, types, enumerations, versions); meaning is checked by
// the shared validator (compiler/validate), which the DSL front end uses too.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg {

inline constexpr const char* kPortableFormat = "portable-migration-v1";

std::optional<ir::Migration> load_portable_migration(const nlohmann::json& document,
                                                     const std::string& file,
                                                     Diagnostics& diagnostics);

}  // namespace migpkg
