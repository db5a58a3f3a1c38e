#pragma once
// Declarative changes -> DDL statements for one dialect, driven by the dialect's DdlSpec (type
// table, feature flags, spellings). The schema before the change comes from the replay
// (compiler/schema/replay.hpp): SQLite's copy-table rebuild, MySQL's full-column MODIFY, drop
// index on MySQL / SQL Server and the constraints a dropped column takes along all need it.
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/ir/schema_change.hpp"
#include "compiler/schema/schema_model.hpp"

namespace migpkg {

struct CompiledChange {
  std::vector<std::string> statements;
  std::vector<std::string> notes;  // what the dialect skipped (comments, extensions)
  std::string error;               // non-empty: the dialect cannot express the change, and why
};

// `before` is the schema before the change; a rebuild tries the change on it in a scratch scope
// (schema_model.hpp), so it is left exactly as it was.
CompiledChange compile_change(const ir::SchemaChange& change, schema::SchemaModel& before,
                              const Dialect& dialect);

// The SQL type of a portable type in the dialect, or "" with `why` set.
std::string sql_type(const ir::ColumnType& type, const Dialect& dialect, std::string* why);

}  // namespace migpkg
