#pragma once
// Which installed plugin created each table, view and index, read from the plans stored in
// migpkg_applied (and migpkg_inflight) at install time. The plans hold SQL only, so their
// statements are scanned for CREATE / DROP / ALTER TABLE ... RENAME TO, in application order.
// Names are compared without quotes and case (SQLite ignores case; PostgreSQL folds unquoted
// names) and without a schema qualifier.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/planner/plan.hpp"

namespace migpkg::runtime {

struct ObjectOwner {
  std::string plugin_id, migration_id;
};

// A statement's effect on the names of tables, views and indexes.
struct NameEffect {
  enum class Kind { None, Create, Drop, Rename } kind = Kind::None;
  std::string object;  // "table", "view" or "index"
  std::string name;    // normalized (see normalized_object_name); for Rename, the old name
  std::string new_name;
};
NameEffect name_effect(const std::string& statement);

// The statement without leading white space and comments, cut to its first few hundred
// characters: where the names of DDL are, and short enough for a regular expression.
std::string statement_head(const std::string& statement);

// A regular expression for a possibly schema-qualified, possibly quoted SQL name.
const std::string& sql_name_pattern();

// "public"."Orders" -> orders; [x] and `x` lose their quotes too.
std::string normalized_object_name(const std::string& name);

class ObjectOwners {
 public:
  // Replays one migration's up statements (call in application order). A name dropped and
  // created again (or renamed into) within one migration keeps its owner: a SQLite table
  // rebuild is not a change of owner.
  void replay(const plan::Migration& migration);
  // The plugin whose migration created `name` (normalized), or nullptr.
  const ObjectOwner* owner(const std::string& name) const;
  // Every name (tables, views, indexes; normalized) that one of `plugins` created.
  std::set<std::string> names_owned_by(const std::set<std::string>& plugins) const;

 private:
  std::map<std::string, ObjectOwner> owners_;
};

}  // namespace migpkg::runtime
