#pragma once
// A step plan: what runs, in which order, on one dialect. Produced by the planner from the IR,
// emitted as JSON (schemas/plan.schema.json) and readable SQL, and executed by the runtime.
// Like Atlas' migrate.Change, every planned step carries what undoes it when that is known.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/source_location.hpp"
#include "compiler/util/boxed.hpp"

namespace migpkg::plan {

// A SQL check that must return one row whose first column is true or non-zero.
struct Check {
  std::string sql;
  std::string message;   // shown when the check fails
  bool is_error = true;  // false: a failing check is reported as a warning only
  std::string origin;    // "preValidation", "postValidation", "rule", "required", "lookup-unique"
};

// The set-based form of a transform step, kept so the runtime can batch it by key range.
struct TransformInfo {
  std::string source_table;
  std::string target_table;
  std::string filter;           // SQL boolean expression, may be empty
  std::int64_t batch_size = 0;  // 0 = one statement
  // The INSERT ... SELECT with the placeholder "{batch}" where a batch predicate goes when
  // batching ("TRUE" / "1" replaces it when not).
  std::string batched_insert;
  std::string count_source;  // SELECT COUNT(*) of the rows the transform reads
};

// A load step's data file and where its rows go (the runtime reads, verifies and writes them).
// Its undo is the migration's derived unload step, plain DELETE statements of the file's keys.
struct LoadInfo {
  std::string file;    // "data/countries.ndjson", relative to the plugin directory / package
  std::string sha256;  // lower-case hex of the file's bytes; checked before a row is read
  std::string table;
  std::string on_conflict = "fail";  // fail | skip | overwrite | merge
};

struct Step {
  std::string id;
  std::string name;
  std::string kind;  // "sql", "transform" or "load"
  std::vector<std::string> statements;
  bool transactional = true;
  // The step holds DDL that the dialect commits at once (MySQL, Oracle): it cannot be rolled
  // back with a transaction, so it is also not transactional, and a runtime journals it.
  bool implicit_commit = false;
  bool skip_on_error = false;
  std::optional<std::int64_t> timeout_seconds;
  std::vector<Check> pre_checks;
  std::vector<Check> post_checks;
  // Statements that undo just this step, when the front end knows them (the DSL's declarative
  // changes). JSON sources undo a migration as a whole through its down steps instead.
  std::optional<std::vector<std::string>> reverse;
  // Boxed (an optional on the heap): six strings inline made every plan step 200 bytes larger
  // for the transforms that few steps are.
  Boxed<TransformInfo> transform;
  Boxed<LoadInfo> load;  // kind "load"; boxed like the transform
  SourceLocation source;
};

struct Migration {
  std::string plugin_id;
  std::string id;
  std::string version;
  std::string name;
  std::string checksum;  // "sha256-v1:<hex>" over the canonical IR of the migration
  std::string risk_level;
  bool requires_backup = false;
  std::vector<std::string> dependencies;
  std::vector<Step> up;
  std::vector<Step> down;
  bool reversible = false;  // computed: the down steps (or per-step reverses) cover every up
  SourceLocation source;
};

struct Plan {
  std::string dialect;
  std::string migpkg_version;
  std::vector<Migration> migrations;  // dependency order
};

}  // namespace migpkg::plan
