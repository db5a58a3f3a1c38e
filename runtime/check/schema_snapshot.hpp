#pragma once
// A structural description of a database's user schema, precise enough that "apply every up,
// then every down, and compare" proves a plugin's rollback restores the schema exactly.
// Each object is one normalised line such as
//   table "users" column "email" text not null
// so two snapshots compare as sorted lists and differ line by line.
#include <string>
#include <vector>

#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {

struct SchemaSnapshot {
  std::vector<std::string> objects;  // sorted
  bool operator==(const SchemaSnapshot& other) const { return objects == other.objects; }
  bool operator!=(const SchemaSnapshot& other) const { return !(*this == other); }
};

// Every user object except migpkg's own bookkeeping tables (names starting with "migpkg_").
SchemaSnapshot inspect_schema(Connection& connection);

// "- line" for what only `before` has, "+ line" for what only `after` has, ordered by line so a
// changed object shows as adjacent "-" and "+" lines. Empty when the snapshots are equal.
std::vector<std::string> diff_schema(const SchemaSnapshot& before, const SchemaSnapshot& after);

namespace snapshot_detail {
// Shared line formatting (snapshot_lines.cpp) for the engines' halves of inspect_schema
// (runtime/engines/<name>/schema_snapshot.cpp): a double-quoted name, and SQL text reduced to
// single spaces outside string literals, so re-indenting a definition is not a change.
std::string quoted(const std::string& name);
std::string collapse_whitespace(const std::string& sql);
}  // namespace snapshot_detail

}  // namespace migpkg::runtime
