#include "runtime/data/data_runs.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "compiler/util/sha256.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::data {

namespace {
constexpr const char* kTable = "migpkg_data_runs";
}

void DataRuns::ensure_table() {
  const runtime::Engine& engine = runtime::engine_of(c_);
  if (engine.own_table_exists(c_, kTable)) return;
  const runtime::EngineSpellings& s = engine.spellings();
  c_.execute(std::string("CREATE TABLE ") + kTable + " (run_key " + s.key_text +
             " NOT NULL, table_name " + s.key_text + " NOT NULL, rows_done BIGINT NOT NULL, " +
             "last_key " + s.long_text + ", target_rows_before BIGINT NOT NULL, " +
             "finished INTEGER NOT NULL, updated_at " + s.long_text +
             " NOT NULL, PRIMARY KEY (run_key, table_name))");
}

std::optional<Checkpoint> DataRuns::load(const std::string& run_key, const std::string& table) {
  runtime::ResultSet result =
      c_.query(std::string("SELECT rows_done, last_key, target_rows_before, finished FROM ") +
                   kTable + " WHERE run_key = $1 AND table_name = $2",
               {run_key, table});
  if (result.rows.empty()) return std::nullopt;
  const runtime::Row& row = result.rows[0];
  Checkpoint checkpoint;
  checkpoint.rows_done = std::stoull(row[0].value_or("0"));
  if (row[1]) checkpoint.last_key = key_from_json(*row[1]);
  checkpoint.target_rows_before = std::stoull(row[2].value_or("0"));
  checkpoint.finished = row[3].value_or("0") != "0";
  return checkpoint;
}

void DataRuns::save(const std::string& run_key, const std::string& table,
                    const Checkpoint& checkpoint) {
  // Delete and insert: one spelling on every engine, and both in the batch's transaction.
  c_.execute(std::string("DELETE FROM ") + kTable + " WHERE run_key = $1 AND table_name = $2",
             {run_key, table});
  c_.execute(std::string("INSERT INTO ") + kTable +
                 " (run_key, table_name, rows_done, last_key, target_rows_before, finished, "
                 "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
             {run_key, table, std::to_string(checkpoint.rows_done),
              checkpoint.last_key ? std::optional<std::string>(key_json(*checkpoint.last_key))
                                  : std::nullopt,
              std::to_string(checkpoint.target_rows_before), checkpoint.finished ? "1" : "0",
              runtime::utc_now()});
}

void DataRuns::forget(const std::string& run_key) {
  if (!runtime::engine_of(c_).own_table_exists(c_, kTable)) return;
  const bool own = !c_.in_transaction();
  if (own) c_.begin();
  c_.execute(std::string("DELETE FROM ") + kTable + " WHERE run_key = $1", {run_key});
  if (own) c_.commit();
}

std::string run_key(const std::vector<std::string>& normalized_arguments) {
  std::string text;
  // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
  for (const std::string& argument : normalized_arguments)
    text += std::to_string(argument.size()) + ":" + argument + ";";
  return sha256_hex(text);
}

// Each value in hex: a key may hold any bytes (a Bytes column), which JSON text cannot.
std::string key_json(const Row& key) {
  static const char* digits = "0123456789abcdef";
  nlohmann::json array = nlohmann::json::array();
  for (const Value& value : key) {
    if (!value) {
      array.push_back(nullptr);
      continue;
    }
    std::string hex;
    for (unsigned char c : *value) {
      hex += digits[c >> 4];
      hex += digits[c & 15];
    }
    array.push_back(hex);
  }
  return array.dump();
}

Row key_from_json(const std::string& text) {
  nlohmann::json array = nlohmann::json::parse(text, nullptr, false);
  if (!array.is_array()) throw std::runtime_error("migpkg_data_runs: a key that is not a list");
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw std::runtime_error("migpkg_data_runs: a key value that is not hex");
  };
  Row key;
  for (const auto& value : array) {
    if (value.is_null()) {
      key.push_back(std::nullopt);
      continue;
    }
    if (!value.is_string())
      throw std::runtime_error("migpkg_data_runs: a key value that is not text");
    const std::string& hex = value.get_ref<const std::string&>();
    if (hex.size() % 2) throw std::runtime_error("migpkg_data_runs: a key value that is not hex");
    std::string bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2)
      bytes += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
    key.push_back(bytes);
  }
  return key;
}

}  // namespace migpkg::data
