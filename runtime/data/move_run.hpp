#pragma once
// import and copy as library calls (the CLI's `migpkg import` / `migpkg copy`; docs/data.md):
// pick the tables, check the target before a row is written, load them parents first with
// DataMove, verify each, move identity counters past the loaded keys.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runtime/data/data_move.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::crypto {
struct AgeDecryptWith;
}  // namespace migpkg::crypto

namespace migpkg::data {

struct MoveRequest {
  std::vector<std::string> plugins;  // PLUGIN...: their tables (plugin_scope.hpp)
  std::vector<std::string> tables;   // --tables (source names); empty: all (or the plugins')
  // --where: source table -> its condition (copy: SQL of the source; import: row_filter.hpp)
  std::map<std::string, std::string> where;
  std::string map_file;  // --map
  OnConflict on_conflict = OnConflict::Fail;
  bool lenient = false;
  std::string rejects_path;
  bool dry_run = false;
  std::size_t batch_rows = 10000;
  std::function<void(const MoveProgress&)> progress;
  // Runs after every table is loaded, before verification and before the checkpoints go (copy
  // --create: the keys), so that a run stopped in it does it again.
  std::function<void()> after_load;
  // copy --create: tables whose primary key after_load adds -> its columns. Their rows are
  // loaded as keyed (resumable, checkpointed) before the key exists.
  std::map<std::string, std::vector<std::string>> keys_after_load;
  // MoveOptions::cancel_requested: the run stops between batches (MoveReport::cancelled).
  std::function<bool()> cancel_requested;
};

struct ImportRequest : MoveRequest {
  std::string input;   // the data set: a directory or a .migdata file
  std::string db_url;  // the target, as given (the run key uses it without a password)
  const crypto::AgeDecryptWith* age = nullptr;  // the keys of an age-encrypted .migdata
};

struct CopyRequest : MoveRequest {
  std::string from_url, to_url;  // as given (the run key uses them without passwords)
  bool create = false;           // --create: make the target tables first
};

struct MoveReport {
  std::string command;  // "import" or "copy"
  bool ok = false;
  bool dry_run = false;
  bool resumed = false;    // an earlier, stopped run of the same command was continued
  bool cancelled = false;  // stopped at a safe point when asked to (ok false, error says where)
  std::string error;
  std::uint64_t undone_rows = 0;  // on-conflict fail: rows this run had written, deleted again
  std::vector<TableResult> tables;
  std::vector<std::string> created;  // copy --create: the tables made in the target
  std::vector<std::string> notes;    // copy --create: defaults and checks left out
  double seconds = 0;
};

// Throws std::runtime_error (a bad mapping file, an unreadable data set) before anything is
// written; a failure while loading is in the report (ok false, error).
MoveReport run_import(runtime::Connection& target, const ImportRequest& request);
MoveReport run_copy(runtime::Connection& source, runtime::Connection& target,
                    const CopyRequest& request);

// What run_import / run_copy share once the sources are known: checks, order, load, verify.
// `target_url` opens more connections to the target for verify's read-back (read_back.hpp);
// empty: none.
MoveReport move_tables(runtime::Connection& target, const std::string& target_url,
                       std::vector<std::unique_ptr<TableSource>>& sources,
                       const MoveRequest& request, const DataMapping* mapping,
                       const std::string& run_key, const std::string& command);

// Refuses, before a row is written, a target where one of `needed` is not installed or is at
// another version, saying what is installed and what `holder` ("the data set") needs.
void check_plugin_versions(runtime::Connection& target, const std::vector<DatasetPlugin>& needed,
                           const std::string& holder);

// The text of --on-conflict: fail, skip, overwrite, merge (std::invalid_argument
// otherwise).
OnConflict parse_on_conflict(const std::string& text);
const char* on_conflict_name(OnConflict mode);

}  // namespace migpkg::data
