#pragma once
// The declarative changes that turn one schema model into another (`migpkg diff`,
// docs/diff.md). Pure: two models in, changes out, in an order that runs (foreign keys dropped
// before what they point at, parents created before their children).
//
// What is compared, and how:
//   - tables and columns by name: a renamed table or column is a drop and a create (renames
//     are never guessed, since a guess that is wrong loses the column's data);
//   - a column's type, nullability, default and comment: an alterColumn (setComment); serial
//     and bigserial compare as int32 and int64 (a catalog does not always tell a counter from a
//     plain integer key), and a primary key column's nullability is not compared (the key makes
//     it NOT NULL however it was declared);
//   - constraints and indexes by what they are, not by name (the kind, the columns, the
//     referenced table and columns, the actions, the check's text, an index's predicate),
//     with a unique constraint and a plain unique index on the same columns taken as the same
//     thing: a database's catalog names them after its own rules, and `copy --create` and the
//     database reader cannot tell the two apart. A constraint or index renamed is no change.
//   - views by name and query, extensions by name.
// Column order within a table is not compared (no portable change reorders columns); a new
// column goes after the column that precedes it in the target.
#include <string>
#include <vector>

#include "compiler/ir/schema_change.hpp"
#include "compiler/schema/schema_model.hpp"

namespace migpkg::schema {

std::vector<ir::SchemaChange> diff_schemas(const SchemaModel& from, const SchemaModel& to);

// One line per table, column, constraint, index, view and extension of the model, sorted, in
// a fixed spelling that leaves out source locations: two models are the same schema when
// their lines are equal (the diff round trip's test compares them).
std::vector<std::string> describe_schema(const SchemaModel& model);

// "add column \"users\".\"email\"": what a change does, in one line (diff --json, the notes).
std::string describe_change(const ir::SchemaChange& change);

// Whether running the change loses stored data (a dropped table or column, a type change).
bool destroys_data(const ir::SchemaChange& change);

}  // namespace migpkg::schema
