#pragma once
// A database's tables read into the compiler's schema model (`migpkg diff`, `baseline`'s
// diff; docs/diff.md): each table with its columns (portable types, NOT NULL but on primary key
// columns, which the key makes NOT NULL, generated counters as serial / bigserial), the defaults
// and CHECK constraints that have a portable meaning (copy_schema.hpp translates them, as for `copy
// --create`), its primary key, unique keys and non-unique indexes on plain columns, and its foreign
// keys. Names of constraints and indexes are migpkg's default names (the catalogs' own are not
// read); the foreign keys' actions are read as "no action".
#include <string>
#include <vector>

#include "compiler/schema/schema_model.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::data {

// `tables` (unquoted), or every user table when empty; migpkg's own tables never. A foreign key
// to a table that is not read is left out, with a note. What has no portable form (a default
// or check in the engine's own SQL) is left out with a note too; a column whose type has none
// throws std::runtime_error naming table, column and type.
schema::SchemaModel read_database_schema(runtime::Connection& connection,
                                         const std::vector<std::string>& tables,
                                         std::vector<std::string>& notes);

}  // namespace migpkg::data
