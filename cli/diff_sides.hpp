#pragma once
// What `migpkg diff` compares (docs/diff.md): each of FROM and TO is `empty`, a database URL
// (its tables, or with --plugin the plugin's) or plugin sources / a package (the schema its
// migrations leave, replayed).
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/schema/schema_model.hpp"

namespace migpkg::cli {

struct DiffSide {
  std::string label;  // as given, a URL with its password hidden
  std::string kind;   // "empty", "database" or "plugin"
  schema::SchemaModel model;
  // A plugin side: its id and its last migration (which a migration after it depends on) and
  // highest version.
  std::string plugin_id, last_migration, version;
  std::vector<std::string> notes;
};

// Whether `text` names a database (a URL), as opposed to sources or a package.
bool names_database(const std::string& text);

// Reads the side. Sources with errors print their diagnostics and throw DiffInputError;
// a database that does not exist, a plugin not installed in it throw std::runtime_error.
struct DiffInputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
DiffSide read_diff_side(const std::string& text, const std::optional<std::string>& plugin,
                        const std::optional<std::string>& trust);

}  // namespace migpkg::cli
