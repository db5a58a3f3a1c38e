#include "runtime/check/data_checks.hpp"

#include <algorithm>
#include <map>

#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {
namespace {

constexpr std::size_t kLinesPerTable = 5;

std::string shown(const std::optional<std::string>& value) {
  if (!value) return "NULL";
  std::string text = *value;
  if (text.size() > 40) {  // cut at a character boundary, not inside a UTF-8 sequence
    std::size_t cut = 37;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut) + "...";
  }
  return "'" + text + "'";
}

std::string table_name(const std::string& table) {
  return "table \"" + table + "\"";
}

// Where each wanted column is in `columns`; npos when it is not there.
std::vector<std::size_t> positions(const std::vector<std::string>& columns,
                                   const std::vector<std::string>& wanted) {
  std::vector<std::size_t> out;
  for (const auto& name : wanted) {
    auto it = std::find(columns.begin(), columns.end(), name);
    out.push_back(it == columns.end() ? std::string::npos
                                      : static_cast<std::size_t>(it - columns.begin()));
  }
  return out;
}

Row pick(const Row& row, const std::vector<std::size_t>& at) {
  Row out;
  for (std::size_t p : at) out.push_back(row[p]);
  return out;
}

std::string key_text(const std::vector<std::string>& names, const Row& values) {
  std::string out = "(";
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i ? ", " : "") + names[i] + "=" + shown(values[i]);
  return out + ")";
}

// The columns of `before` both snapshots have, without those declared lost.
std::vector<std::string> compared_columns(const std::string& table, const TableRows& before,
                                          const TableRows& after, const DeclaredLoss& lost) {
  std::vector<std::string> out;
  for (const auto& column : before.columns)
    if (!lost.columns.count({table, column}) &&
        std::find(after.columns.begin(), after.columns.end(), column) != after.columns.end())
      out.push_back(column);
  return out;
}

bool key_usable(const std::vector<std::string>& key, const std::vector<std::string>& columns) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [&](const std::string& k) {
    return std::find(columns.begin(), columns.end(), k) != columns.end();
  });
}

void compare_by_key(const std::string& table, const TableRows& before, const TableRows& after,
                    const std::vector<std::string>& columns, std::vector<std::string>& out) {
  auto key_before = positions(before.columns, before.primary_key);
  auto key_after = positions(after.columns, before.primary_key);
  auto at_before = positions(before.columns, columns), at_after = positions(after.columns, columns);
  std::map<Row, const Row*> restored;
  for (const Row& row : after.rows) restored[pick(row, key_after)] = &row;
  std::size_t problems = 0;
  for (const Row& row : before.rows) {
    Row key = pick(row, key_before);
    auto found = restored.find(key);
    std::string line;
    if (found == restored.end()) {
      line = table_name(table) + " row " + key_text(before.primary_key, key) + " is missing";
    } else {
      for (std::size_t c = 0; c < columns.size() && line.empty(); ++c)
        if (row[at_before[c]] != (*found->second)[at_after[c]])
          line = table_name(table) + " row " + key_text(before.primary_key, key) + " column \"" +
                 columns[c] + "\" was " + shown(row[at_before[c]]) + ", is " +
                 shown((*found->second)[at_after[c]]);
    }
    if (line.empty()) continue;
    if (++problems <= kLinesPerTable) out.push_back(line);
  }
  if (problems > kLinesPerTable)
    out.push_back(table_name(table) + ": " + std::to_string(problems - kLinesPerTable) +
                  " more rows not restored");
}

void compare_as_multiset(const std::string& table, const TableRows& before, const TableRows& after,
                         const std::vector<std::string>& columns, std::vector<std::string>& out) {
  auto at_before = positions(before.columns, columns), at_after = positions(after.columns, columns);
  std::map<Row, std::int64_t> count;
  for (const Row& row : after.rows) ++count[pick(row, at_after)];
  std::size_t problems = 0;
  for (const Row& row : before.rows) {
    Row values = pick(row, at_before);
    if (count[values]-- > 0) continue;
    if (++problems <= kLinesPerTable)
      out.push_back(table_name(table) + " (no primary key) row " + key_text(columns, values) +
                    " is missing");
  }
  if (problems > kLinesPerTable)
    out.push_back(table_name(table) + ": " + std::to_string(problems - kLinesPerTable) +
                  " more rows not restored");
}

// Rows of one table that differ between the snapshots, compared on `columns` by key (or as a
// multiset): inserted, deleted or changed rows each count once.
std::int64_t changed_rows(const TableRows& before, const TableRows& after,
                          const std::vector<std::string>& columns) {
  auto at_before = positions(before.columns, columns), at_after = positions(after.columns, columns);
  std::int64_t changed = 0;
  if (key_usable(before.primary_key, columns) && before.primary_key == after.primary_key) {
    auto key_before = positions(before.columns, before.primary_key);
    auto key_after = positions(after.columns, after.primary_key);
    std::map<Row, Row> old_rows;
    for (const Row& row : before.rows) old_rows[pick(row, key_before)] = pick(row, at_before);
    for (const Row& row : after.rows) {
      auto found = old_rows.find(pick(row, key_after));
      if (found == old_rows.end()) {
        ++changed;
        continue;
      }
      if (found->second != pick(row, at_after)) ++changed;
      old_rows.erase(found);
    }
    return changed + static_cast<std::int64_t>(old_rows.size());
  }
  std::map<Row, std::int64_t> balance;
  for (const Row& row : before.rows) ++balance[pick(row, at_before)];
  for (const Row& row : after.rows) --balance[pick(row, at_after)];
  std::int64_t removed = 0, added = 0;
  for (const auto& [row, n] : balance) (n > 0 ? removed : added) += n > 0 ? n : -n;
  return std::max(removed, added);
}

}  // namespace

std::vector<std::string> rows_lost(const DataSnapshot& before, const DataSnapshot& after) {
  std::vector<std::string> out;
  for (const auto& [table, rows] : before) {
    auto now = after.find(table);
    if (now == after.end() || now->second.rows.size() >= rows.rows.size()) continue;
    out.push_back(table_name(table) + " had " + std::to_string(rows.rows.size()) +
                  " rows before the up and has " + std::to_string(now->second.rows.size()) +
                  " after it");
  }
  return out;
}

std::vector<std::string> rows_not_restored(const DataSnapshot& before, const DataSnapshot& after,
                                           const DeclaredLoss& lost) {
  std::vector<std::string> out;
  for (const auto& [table, rows] : before) {
    auto now = after.find(table);
    if (lost.tables.count(table) || now == after.end()) continue;  // gone: the schema diff says so
    auto columns = compared_columns(table, rows, now->second, lost);
    if (key_usable(rows.primary_key, columns))
      compare_by_key(table, rows, now->second, columns, out);
    else
      compare_as_multiset(table, rows, now->second, columns, out);
  }
  return out;
}

std::int64_t rows_touched(const DataSnapshot& before, const DataSnapshot& after) {
  std::int64_t touched = 0;
  for (const auto& [table, rows] : before) {
    auto now = after.find(table);
    if (now == after.end()) {
      touched += static_cast<std::int64_t>(rows.rows.size());
      continue;
    }
    std::vector<std::string> common;
    for (const auto& column : rows.columns)
      if (std::find(now->second.columns.begin(), now->second.columns.end(), column) !=
          now->second.columns.end())
        common.push_back(column);
    touched += changed_rows(rows, now->second, common);
  }
  for (const auto& [table, rows] : after)
    if (!before.count(table)) touched += static_cast<std::int64_t>(rows.rows.size());
  return touched;
}

std::vector<std::string> foreign_key_violations(Connection& connection) {
  return engine_of(connection).foreign_key_violations(connection);
}

}  // namespace migpkg::runtime
