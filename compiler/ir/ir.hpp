#pragma once
// The intermediate representation: plain, dialect-free data that both front ends (the
// portable-migration-v1 JSON loader and, later, the DSL) produce and that the validator,
// planner and runtime consume. No behaviour lives here beyond trivial helpers.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/literal.hpp"
#include "compiler/ir/schema_change.hpp"
#include "compiler/ir/source_location.hpp"
#include "compiler/util/boxed.hpp"
#include "compiler/util/semver.hpp"

namespace migpkg::ir {

// The engines a plan can be compiled for. "universal" is not an engine: it is the fallback SQL
// used for every engine that has no SQL of its own.
// The one list of engines: kAllEngines (in the enum's order) and engine_name derive from it,
// and so does every list of engine names a reader, a message or a test shows.
enum class Engine { PostgreSQL, MySQL, SQLite, SQLServer, Oracle };
inline constexpr std::size_t kEngineCount = static_cast<std::size_t>(Engine::Oracle) + 1;
inline constexpr Engine kAllEngines[] = {Engine::PostgreSQL, Engine::MySQL, Engine::SQLite,
                                         Engine::SQLServer, Engine::Oracle};
static_assert(std::size(kAllEngines) == kEngineCount, "kAllEngines lists every engine");
// As sources, plans and the command line spell it: "postgresql", "mysql", ...
const char* engine_name(Engine engine);
std::vector<std::string> engine_names();  // of kAllEngines, in its order
std::optional<Engine> engine_from_name(const std::string& name);

enum class MigrationType { Schema, Data, Index, Function, Trigger, View, Extension, Permission };
enum class Category {
  Install,
  Upgrade,
  Patch,
  Feature,
  Performance,
  Security,
  Maintenance,
  Migration
};
enum class RiskLevel { Low, Medium, High, Critical };
enum class Severity { Error, Warning };

const char* to_string(MigrationType value);
const char* to_string(Category value);
const char* to_string(RiskLevel value);
const char* to_string(Severity value);

// Text with the place it was written, so later passes can point back at it.
struct LocatedText {
  std::string text;
  SourceLocation location;
};

// SQL for one step: per-engine variants and the universal fallback.
struct EngineSql {
  std::map<Engine, LocatedText> by_engine;
  std::optional<LocatedText> universal;
  SourceLocation location;

  // The SQL that runs on `engine`: its own variant, else the universal one, else nullptr.
  const LocatedText* for_engine(Engine engine) const;
};

enum class ValueTransformKind { Function, Expression, Lookup, Custom };
const char* to_string(ValueTransformKind value);

// How a lookup finds its value: either an inline table of key -> value pairs, or a reference
// to a table column keyed by another column.
struct LookupTable {
  std::vector<std::pair<Literal, Literal>> entries;  // inline form
  std::string table, key_column, value_column;       // table form
  bool is_table_reference() const { return !table.empty(); }
};

struct ValueTransform {
  ValueTransformKind kind = ValueTransformKind::Function;
  std::string function;             // Function: registered function name (lower case)
  std::vector<Literal> parameters;  // Function: extra arguments after the value
  std::string expression;           // Expression: SQL expression over the source row
  EngineSql custom;                 // Custom: per-engine SQL expression
  LookupTable lookup;               // Lookup
  SourceLocation location;
};

struct FieldMapping {
  std::string source;  // source column; may be empty when the transform computes the value
  std::string target;  // target column
  std::optional<ValueTransform> transform;
  std::optional<Literal> default_value;
  bool required = false;
  SourceLocation location;
};

struct ValidationRule {
  std::string field;
  std::string rule;  // SQL boolean expression over the target table's columns
  std::string message;
  Severity severity = Severity::Error;
  SourceLocation location;
};

struct Transform {
  std::string source;  // source table (optionally schema-qualified)
  std::string target;  // target table
  std::vector<FieldMapping> mappings;
  std::string filter;  // SQL boolean expression (a leading WHERE is dropped)
  std::optional<std::int64_t> batch_size;
  std::vector<ValidationRule> validation;
  SourceLocation location;
};

// What a load step does with a row whose primary key the table already holds (the data
// commands' OnConflict, runtime/data/data_table.hpp).
enum class LoadConflict { Fail, Skip, Overwrite, Merge };
const char* to_string(LoadConflict value);  // "fail", "skip", "overwrite", "merge"
std::optional<LoadConflict> load_conflict_from_name(const std::string& name);

// A load step: the rows of a data file shipped in the plugin's `data/` folder, written into a
// table inside the migration (docs/format-changes.md, "Loading data"). Its undo is derived: an
// unload step that deletes the rows whose primary keys the file holds.
struct Load {
  LocatedText file;  // as written: "data/countries.ndjson", relative to the plugin directory
  std::string table;
  LoadConflict on_conflict = LoadConflict::Fail;
  // Lower-case hex SHA-256 of the file's bytes, filled in when the sources are loaded
  // (compiler/load/data_file.hpp). Part of the checksum: a changed file shows as drift.
  std::string sha256;
  // The file's bytes and where they were read from (for messages), kept from loading until the
  // unload keys are derived; never written out.
  std::shared_ptr<const std::string> content;
  std::string path;
  // Set on the derived down step: delete the rows whose primary key (`key_columns`, in key
  // order) is one of `keys` (one literal per key column), which the file holds.
  bool unload = false;
  std::vector<std::string> key_columns;
  std::vector<std::vector<Literal>> keys;
  SourceLocation location;
};

struct ExpectedChanges {
  std::optional<std::int64_t> rows, tables, indexes;
};

struct Step {
  std::string id;
  std::optional<MigrationType> type;
  std::string name;
  std::string description;
  std::optional<EngineSql> sql;
  // Boxed (compiler/util/boxed.hpp), not std::optional: most steps have neither, and inline
  // they would make every step 1.3 KB larger (and 0.5 KB more for the validations below).
  Boxed<Transform> transform;
  Boxed<SchemaChange> change;  // declarative DDL (DSL, or JSON `change`); see schema_change.hpp
  Boxed<Load> load;            // a data file loaded into a table (or, derived, unloaded)
  bool transactional = true;
  bool rollback_supported = true;
  bool skip_on_error = false;
  std::optional<std::int64_t> timeout_seconds;
  std::vector<LocatedText> dependencies;  // ids of other steps of the same direction
  Boxed<EngineSql> pre_validation;        // boxed like transform and change: usually absent
  Boxed<EngineSql> post_validation;
  ExpectedChanges expected_changes;
  bool derived = false;  // made by the automatic-down pass, not written by the author
  SourceLocation location;
};

struct Migration {
  std::string id;
  std::string plugin_id;
  SemVer version;
  std::string version_text;
  std::string name;
  std::string description;
  MigrationType type = MigrationType::Schema;
  Category category = Category::Install;
  RiskLevel risk_level = RiskLevel::Low;
  bool requires_backup = false;
  // The author waives the backup the installer takes before a destructive declarative change
  // (dropTable, dropColumn, a column type change). A required backup (requires_backup, high or
  // critical risk) is never waived.
  bool waive_backup = false;
  // Engines the author declares support for; empty = not declared (every engine that all
  // steps have SQL for).
  std::vector<Engine> database_engines;
  std::vector<LocatedText> dependencies;  // migration ids or plugin@range requirements
  std::vector<LocatedText> conflicts;     // plugin ids or plugin@range
  std::optional<std::int64_t> estimated_duration_seconds;
  std::string created_at, updated_at;
  std::vector<Step> up;
  std::vector<Step> down;
  // True when the author wrote no down steps and asked the compiler to derive them from the up
  // steps' declarative changes (the DSL default). The derivation pass fills `down`; steps it
  // made carry `derived = true` so converters print the migration as written.
  bool automatic_down = false;
  SourceLocation location;

  // True when every step of both directions can produce SQL for the engine.
  bool supports(Engine engine) const;
};

// All migrations of one plugin, in the order the sources gave them (the planner orders them).
struct Plugin {
  std::string id;
  std::vector<Migration> migrations;

  // The plugin's version is the highest version among its migrations.
  const SemVer* version() const;
};

// Everything one run loaded: several plugins may be given together.
struct Program {
  std::vector<Plugin> plugins;
  Plugin* find_plugin(const std::string& id);
  const Plugin* find_plugin(const std::string& id) const;
};

}  // namespace migpkg::ir
