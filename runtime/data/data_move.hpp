#pragma once
// What `import` and `copy` share (docs/data.md, "import", "copy", "Resume", "Conflicts"),
// written once over the Engine interface: each table's rows go from a source (a data set's
// table file, or a table in another database) through the mapping into the target with
// Engine::write_data, a batch per transaction with its checkpoint; then the target is read back
// and compared with the source (row count and content digest).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runtime/data/content_digest.hpp"
#include "runtime/data/data_mapping.hpp"
#include "runtime/data/data_runs.hpp"
#include "runtime/data/data_table.hpp"
#include "runtime/data/read_back.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::data {

// `value` as a column of `type` holds it (portable_values.hpp's fit: a UUID in lower case, a
// timestamp with an offset as the instant in UTC, JSON with its keys sorted; a zoned timestamp
// in a column without a zone as its UTC time, as MySQL keeps it), or unchanged when it does not
// fit. Verification compares the source's rows so normalised with the target's: a row copied
// from a SQLite TEXT column into a PostgreSQL uuid is the same row.
Value as_column_holds(const ir::ColumnType& type, const Value& value);

// Where one table's rows come from.
class TableSource {
 public:
  virtual ~TableSource() = default;
  virtual const DataTable& table() const = 0;
  // Streams the rows after the checkpoint's (a data set: skips rows_done rows; a database:
  // reads after last_key), all columns in table()'s order, in batches of at most batch_rows.
  virtual void read(const Checkpoint& after, std::size_t batch_rows,
                    const std::function<void(std::vector<Row>)>& sink) = 0;
  // Whether a run can go on after a committed batch: a database source without a primary key
  // has no order to continue in, so its table is loaded in one transaction.
  virtual bool resumable() const = 0;
  // The source's own row count and digest when it knows them without reading (a data set's
  // manifest); nullopt: verify reads the rows again.
  virtual std::optional<std::pair<std::uint64_t, std::string>> known_digest() const {
    return std::nullopt;
  }
};

struct MoveProgress {
  std::string table;
  std::uint64_t rows_done = 0;   // of this table, checkpointed rows included
  std::uint64_t rows_total = 0;  // 0: unknown
  double seconds = 0;            // since this table started in this run
  std::uint64_t rows_this_run = 0;
};

struct MoveOptions {
  OnConflict on_conflict = OnConflict::Fail;
  bool lenient = false;
  std::string rejects_path;  // lenient: refused rows go here (NDJSON)
  std::size_t batch_rows = 10000;
  std::string run_key;  // data_runs.hpp run_key()
  const DataMapping* mapping = nullptr;
  std::function<void(const MoveProgress&)> progress;
  // copy --create tables whose primary key comes after the rows: every row in them is this
  // command's, so fail mode's undo empties them rather than looking each key up without an index.
  std::set<std::string> keyed_after_load;
  // Asked after every batch (its checkpoint committed) and before every table: true stops the
  // run there with MoveCancelled, as a killed run would stop. Unset: never cancelled.
  std::function<bool()> cancel_requested;
  // More connections to the target, for verify's read-back of a large table in parts at once
  // (read_back.hpp). Unset: verify reads on the target connection only.
  OpenConnection open_target;
};

struct TableResult {
  std::string source_table, target_table;
  std::uint64_t rows_read = 0;      // source rows read in this run
  std::uint64_t rows_written = 0;   // inserted, or updated by overwrite/merge, in this run
  std::uint64_t rejects = 0;        // in this run
  std::uint64_t resumed_after = 0;  // rows a checkpoint of an earlier, stopped run had done
  bool already_done = false;        // an earlier, stopped run had finished this table
  double seconds = 0;
  std::uint64_t bytes = 0;  // portable bytes written (values' lengths)
  // Verification: "rows and content" (the target table is the source's), "rows" (the target
  // held rows before: only counts can be checked), "" (not verified: the run failed)
  std::string verified;
  std::uint64_t source_rows = 0, target_rows = 0;
  std::string source_hash, target_hash;
};

// A failed import or copy; what() names the table and, for a row, its key and column.
class MoveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The run was asked to stop (MoveOptions::cancel_requested) at a safe point: the batches
// committed stay with their checkpoints, nothing is undone, the same command again goes on.
class MoveCancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One run of import or copy into `target`. Tables are loaded in the order given (the caller
// puts parents before children).
class DataMove {
 public:
  DataMove(runtime::Connection& target, MoveOptions options);
  ~DataMove();
  // Whether an earlier run with the same key stopped before finishing (its checkpoints are
  // there). Call after prepare().
  bool resuming() const { return resuming_; }
  // Creates the checkpoint table and opens the rejects file (appending when resuming).
  void prepare();
  // Loads one table; target_table: its description in the target (Engine::data_table).
  // Throws MoveError (or ValueError / DatabaseError wrapped in it) after undoing what fail
  // mode says must not stay.
  TableResult load(TableSource& source, const DataTable& target_table);
  // Row count and digest of source against target, for a table load() finished.
  void verify(TableSource& source, const DataTable& target_table, TableResult& result);
  // The run finished: its checkpoints are deleted, so the same command starts afresh.
  void finish();
  // On-conflict fail stopped the run: deletes the keys every table of this run inserted (in
  // reverse order of loading), then the run's checkpoints. Returns the rows deleted.
  std::uint64_t undo(const std::vector<std::pair<TableSource*, const DataTable*>>& loaded);

 private:
  struct Rejects;
  // The digest of the rows a table's load() wrote, as the target columns hold them; verify()
  // compares it with the target instead of reading the source a second time. Only when this
  // run loaded the whole table (not resumed after an earlier run's checkpoint).
  struct LoadDigest {
    ContentDigest digest;
    bool whole = false;
  };
  std::size_t write_batch(TableSource& source, const RowProjection& projection,
                          const DataTable& target, std::vector<Row>& source_rows,
                          TableResult& result, ContentDigest* digest, bool prepared);
  void reject(const TableSource& source, const RowProjection& projection, const Row& row,
              const ValueError& error, const DataTable& target);
  std::uint64_t count_rows(const std::string& table);

  runtime::Connection& c_;
  MoveOptions options_;
  DataRuns runs_;
  bool resuming_ = false;
  std::unique_ptr<Rejects> rejects_;
  std::map<std::string, LoadDigest> load_digests_;  // target table -> its rows as written
};

}  // namespace migpkg::data
