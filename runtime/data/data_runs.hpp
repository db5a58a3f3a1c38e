#pragma once
// Checkpoints of `import` and `copy` (docs/data.md, "Resume"): migpkg_data_runs in the target,
// one row per (run, target table), written in the same transaction as each batch's rows, so
// that what a checkpoint says is done is exactly what the target holds. A run is known by a
// hash of its normalized arguments: the same command again finds its checkpoints and goes on
// after them; a run that finished deletes them, so running it again starts afresh.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/data/data_table.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::data {

struct Checkpoint {
  std::uint64_t rows_done = 0;  // source rows consumed: written, skipped or rejected
  std::optional<Row> last_key;  // the last consumed row's source key (portable form)
  // Rows the target table held when the run first reached it: verify compares the whole table
  // with the source only when this is 0.
  std::uint64_t target_rows_before = 0;
  bool finished = false;
};

class DataRuns {
 public:
  explicit DataRuns(runtime::Connection& connection) : c_(connection) {}
  // Creates migpkg_data_runs when it is not there (outside any transaction: on MySQL a CREATE
  // commits by itself).
  void ensure_table();
  std::optional<Checkpoint> load(const std::string& run_key, const std::string& table);
  // In the caller's transaction.
  void save(const std::string& run_key, const std::string& table, const Checkpoint& checkpoint);
  // Every checkpoint of the run (in its own transaction when none is open).
  void forget(const std::string& run_key);

 private:
  runtime::Connection& c_;
};

// The run's key: SHA-256 (hex) of its arguments, one per element, in a fixed order.
std::string run_key(const std::vector<std::string>& normalized_arguments);

// A key as the checkpoint stores it (a JSON array: each value in hex, NULL as null) and back.
std::string key_json(const Row& key);
Row key_from_json(const std::string& text);

}  // namespace migpkg::data
