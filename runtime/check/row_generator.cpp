#include "runtime/check/row_generator.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "runtime/check/seed_values.hpp"
#include "runtime/check/table_rows.hpp"
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {
namespace {

using Values = Connection::Params;

// Parents before children; tables of a foreign-key cycle in name order after the rest of it.
std::vector<const SeedTable*> parents_first(const std::vector<SeedTable>& tables) {
  std::map<std::string, const SeedTable*> by_name;
  for (const auto& table : tables) by_name[table.name] = &table;
  std::vector<const SeedTable*> order;
  std::set<std::string> placed, visiting;
  std::function<void(const SeedTable&)> visit = [&](const SeedTable& table) {
    if (placed.count(table.name) || !visiting.insert(table.name).second) return;
    for (const auto& key : table.foreign_keys) {
      auto parent = by_name.find(key.ref_table);
      if (parent != by_name.end() && parent->first != table.name) visit(*parent->second);
    }
    placed.insert(table.name);
    order.push_back(&table);
  };
  for (const auto& [name, table] : by_name) visit(*table);
  return order;
}

// The rows a foreign key may point at: the parent's key values, NULL-free.
std::vector<Values> parent_keys(Connection& db, const SeedForeignKey& key) {
  std::string columns, not_null;
  for (const auto& column : key.ref_columns) {
    columns += (columns.empty() ? "" : ", ") + quote_name(db, column);
    not_null += (not_null.empty() ? "" : " AND ") + quote_name(db, column) + " IS NOT NULL";
  }
  std::vector<Values> out;
  // Under a savepoint: a parent that does not exist (yet) must not abort PostgreSQL's transaction.
  db.execute("SAVEPOINT migpkg_seed_parent");
  try {
    for (auto& row : db.query("SELECT DISTINCT " + columns + " FROM " +
                              quote_name(db, key.ref_table) + " WHERE " + not_null + " LIMIT 5000")
                         .rows)
      out.push_back(Values(row.begin(), row.end()));
    db.execute("RELEASE SAVEPOINT migpkg_seed_parent");
  } catch (const DatabaseError&) {
    // No such parent: the column gets NULL or a plain value.
    db.execute("ROLLBACK TO SAVEPOINT migpkg_seed_parent");
    db.execute("RELEASE SAVEPOINT migpkg_seed_parent");
  }
  return out;
}

// Fills one table: the columns it inserts and how each row's values are made.
class TableFiller {
 public:
  TableFiller(Connection& db, const SeedTable& table, const SeedRequest& request)
      : db_(db),
        table_(table),
        request_(request),
        random_(seed_hash(table.name, request.seed ^ (request.round * 0x9E3779B97F4A7C15ULL))) {
    for (const auto& column : table.columns)
      if (!column.generated) columns_.push_back(&column);
    for (const auto& key : table.unique_keys)
      for (const auto& column : key) unique_.insert(column);
    for (const auto& key : table.foreign_keys) candidates_.push_back(parent_keys(db, key));
  }

  std::int64_t fill(std::int64_t count, std::int64_t& refused) {
    if (columns_.empty() || count <= 0) return 0;
    std::size_t per_statement =
        std::max<std::size_t>(1, std::min<std::size_t>(200, 900 / columns_.size()));
    std::int64_t before = row_count();
    std::vector<Values> batch;
    for (std::int64_t i = 0; i < count; ++i) {
      std::uint64_t row = static_cast<std::uint64_t>(i);
      batch.push_back(make_row(
          row, request_.round * static_cast<std::uint64_t>(request_.rows) + row + 1, false));
      if (batch.size() == per_statement || i + 1 == count) {
        insert_batch(batch, refused);
        batch.clear();
      }
    }
    return row_count() - before;
  }

 private:
  std::int64_t row_count() {
    auto rows = db_.query("SELECT count(*) FROM " + quote_name(db_, table_.name)).rows;
    return std::stoll(rows.at(0).at(0).value_or("0"));
  }

  // Row i of this round, whose key values are made from `n`. Every fourth row takes edge
  // values, the rest plain ones; `plain` (the retry of a refused row) takes plain values and no
  // NULLs.
  Values make_row(std::uint64_t i, std::uint64_t n, bool plain) {
    bool edge = !plain && i % 4 == 0;
    Values row;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const SeedColumn& column = *columns_[c];
      if (unique_.count(column.name))
        row.push_back(unique_value(column.type, key_number(column, n), engine_of(db_)));
      else if (!plain && column.nullable && random_.below(8) == 0)
        row.push_back(std::nullopt);
      else if (column.plain && is_number(column.type))
        row.push_back(std::to_string(random_.below(100) + 1));  // what simple range checks take
      else if (edge && !column.plain)
        row.push_back(edge_value(column.type, i / 4 + c, engine_of(db_)));
      else
        row.push_back(plain_value(column.type, random_, engine_of(db_)));
    }
    for (std::size_t k = 0; k < table_.foreign_keys.size(); ++k) point_at_parent(k, row, n, plain);
    remember_for_self_reference(row);
    return row;
  }

  static bool is_number(const ir::ColumnType& type) {
    using K = ir::ColumnType::Kind;
    return type.kind == K::Int16 || type.kind == K::Int32 || type.kind == K::Int64 ||
           type.kind == K::Decimal || type.kind == K::Float32 || type.kind == K::Float64;
  }

  // Key values differ between tables too (each table's start past a per-table offset), so a
  // migration that copies keys from one table into another does not collide by accident of
  // generation. An int16 key has no room for the offset.
  std::uint64_t key_number(const SeedColumn& column, std::uint64_t n) const {
    if (column.type.kind == ir::ColumnType::Kind::Int16) return n;
    return n + (seed_hash(table_.name, 0) % 1000) * 1000000ULL;
  }

  std::optional<std::size_t> position(const std::string& column) const {
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (columns_[c]->name == column) return c;
    return std::nullopt;
  }

  void point_at_parent(std::size_t k, Values& row, std::uint64_t n, bool plain) {
    const SeedForeignKey& key = table_.foreign_keys[k];
    const auto& parents = candidates_[k];
    bool nullable = true;
    for (const auto& column : key.columns) {
      const SeedColumn* c = table_.find_column(column);
      nullable = nullable && c && c->nullable;
    }
    bool none = parents.empty() || (!plain && nullable && random_.below(10) == 0);
    if (none && !nullable && parents.empty()) return;  // nothing to point at: refused, skipped
    // A unique reference (one-to-one) takes each parent in turn, so rows do not collide.
    bool unique = std::any_of(key.columns.begin(), key.columns.end(),
                              [&](const std::string& column) { return unique_.count(column) > 0; });
    std::uint64_t pick = unique ? n : random_.next();
    const Values* parent = none ? nullptr : &parents[pick % parents.size()];
    for (std::size_t part = 0; part < key.columns.size(); ++part)
      if (auto at = position(key.columns[part])) row[*at] = parent ? (*parent)[part] : std::nullopt;
  }

  // A self reference may point at a row generated earlier in this round.
  void remember_for_self_reference(const Values& row) {
    for (std::size_t k = 0; k < table_.foreign_keys.size(); ++k) {
      const SeedForeignKey& key = table_.foreign_keys[k];
      if (key.ref_table != table_.name) continue;
      Values referenced;
      for (const auto& column : key.ref_columns) {
        auto at = position(column);
        if (!at || !row[*at]) return;
        referenced.push_back(row[*at]);
      }
      candidates_[k].push_back(referenced);
    }
  }

  std::string insert_sql(std::size_t rows) const {
    // Rows that break a key are skipped (SQLite's OR IGNORE also skips NOT NULL and CHECK).
    const EngineSpellings& spellings = engine_of(db_).spellings();
    std::string sql = "INSERT " + spellings.insert_ignore_prefix + "INTO ";
    sql += quote_name(db_, table_.name) + " (";
    for (std::size_t c = 0; c < columns_.size(); ++c)
      sql += (c ? ", " : "") + quote_name(db_, columns_[c]->name);
    sql += ") VALUES ";
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      sql += r ? ", (" : "(";
      for (std::size_t c = 0; c < columns_.size(); ++c)
        sql += (c ? ", " : "") + db_.placeholder(++n);
      sql += ")";
    }
    sql += spellings.insert_ignore_suffix;
    return sql;
  }

  bool try_insert(const std::vector<Values>& rows) {
    Values params;
    for (const auto& row : rows) params.insert(params.end(), row.begin(), row.end());
    db_.execute("SAVEPOINT migpkg_seed");
    try {
      db_.execute(insert_sql(rows.size()), params);
      db_.execute("RELEASE SAVEPOINT migpkg_seed");
      return true;
    } catch (const DatabaseError&) {
      db_.execute("ROLLBACK TO SAVEPOINT migpkg_seed");
      db_.execute("RELEASE SAVEPOINT migpkg_seed");
      return false;
    }
  }

  // A refused batch is inserted row by row; a refused row once more with plain values.
  void insert_batch(const std::vector<Values>& batch, std::int64_t& refused) {
    if (try_insert(batch)) return;
    for (const auto& row : batch) {
      if (try_insert({row})) continue;
      // Retried rows take keys far above every round's, so they cannot collide with them.
      std::uint64_t n = 1000000000ULL + request_.round * 1000000ULL + ++retries_;
      if (!try_insert({make_row(retries_, n, true)})) ++refused;
    }
  }

  Connection& db_;
  const SeedTable& table_;
  const SeedRequest& request_;
  SeedRandom random_;
  std::vector<const SeedColumn*> columns_;
  std::set<std::string> unique_;
  std::vector<std::vector<Values>> candidates_;  // per foreign key
  std::uint64_t retries_ = 0;
};

}  // namespace

SeedOutcome seed_tables(Connection& connection, const std::vector<SeedTable>& tables,
                        const SeedRequest& request) {
  SeedOutcome outcome;
  connection.begin();
  try {
    for (const SeedTable* table : parents_first(tables)) {
      TableFiller filler(connection, *table, request);
      auto existing =
          connection.query("SELECT count(*) FROM " + quote_name(connection, table->name));
      std::int64_t missing = request.rows - std::stoll(existing.rows.at(0).at(0).value_or("0"));
      std::int64_t added = filler.fill(missing, outcome.refused);
      if (added > 0) outcome.inserted[table->name] = added;
    }
    connection.commit();
  } catch (...) {
    if (connection.in_transaction()) connection.rollback();
    throw;
  }
  return outcome;
}

}  // namespace migpkg::runtime
