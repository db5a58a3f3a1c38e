#pragma once
// Readers for the parts of a portable-migration-v1 document, shared by json_loader.cpp.
#include <nlohmann/json.hpp>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/json/object_reader.hpp"

namespace migpkg::json_front {

std::optional<ir::Step> read_step(const nlohmann::json& value, const SourceLocation& where,
                                  Diagnostics& diagnostics);

// `sql`-shaped objects: one member per engine (ir::engine_names()) and `universal`. When
// `allow_string` is set, a plain string stands for the universal SQL.
std::optional<ir::EngineSql> read_engine_sql(const nlohmann::json& value,
                                             const SourceLocation& where, Diagnostics& diagnostics,
                                             const std::string& what, bool allow_string);

std::optional<ir::Transform> read_transform(const nlohmann::json& value,
                                            const SourceLocation& where, Diagnostics& diagnostics);

// A step's `change` member; normalized (default names filled) when it reads without errors.
std::optional<ir::SchemaChange> read_change(const nlohmann::json& value,
                                            const SourceLocation& where, Diagnostics& diagnostics);

std::optional<ir::Literal> read_literal(const nlohmann::json& value, const SourceLocation& where,
                                        Diagnostics& diagnostics);

extern const std::vector<std::string> kMigrationTypeNames;

}  // namespace migpkg::json_front
