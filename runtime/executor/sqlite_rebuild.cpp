#include "runtime/executor/sqlite_rebuild.hpp"

#include <string_view>
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {
namespace {

// What compiler/dialects/ddl_generator.cpp writes to put the rebuilt table in place.
constexpr std::string_view kRenameHead = "ALTER TABLE \"migpkg_rebuild_";
constexpr std::string_view kRenameTo = " RENAME TO ";

// Reads one "quoted" identifier (a doubled quote stands for one) at `at`; advances past it.
bool read_quoted(const std::string& text, std::size_t& at, std::string& name) {
  if (at >= text.size() || text[at] != '"') return false;
  name.clear();
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] != '"') {
      name += text[i];
    } else if (i + 1 < text.size() && text[i + 1] == '"') {
      name += '"';
      ++i;
    } else {
      at = i + 1;
      return true;
    }
  }
  return false;
}

// A qualified "a"."b" name: the last part, which is what sqlite_schema's tbl_name holds.
bool read_table(const std::string& text, std::size_t& at, std::string& name) {
  if (!read_quoted(text, at, name)) return false;
  while (at < text.size() && text[at] == '.') {
    ++at;
    if (!read_quoted(text, at, name)) return false;
  }
  return true;
}

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool starts_with(const std::string& text, std::string_view head) {
  return text.size() >= head.size() && text.compare(0, head.size(), head) == 0;
}

}  // namespace

std::vector<std::string> rebuilt_tables(const plan::Step& step) {
  std::vector<std::string> tables;
  for (const auto& statement : step.statements) {
    if (!starts_with(statement, kRenameHead)) continue;
    std::size_t at = kRenameHead.find('"');  // the opening quote of the temporary name
    std::string name;
    if (!read_table(statement, at, name) || statement.compare(at, kRenameTo.size(), kRenameTo))
      continue;
    at += kRenameTo.size();
    if (read_table(statement, at, name)) tables.push_back(name);
  }
  return tables;
}

bool needs_foreign_keys_off(const Connection& connection, const std::vector<plan::Step>& steps) {
  for (const auto& step : steps)
    if (!rebuilt_tables(step).empty())
      return engine_of(connection).rebuilds_need_foreign_keys_off();
  return false;
}

void check_foreign_keys(Connection& connection) {
  // A bounded list: enough to find the rows, not the whole of a table that lost its parent.
  constexpr std::size_t kListed = 100;
  static const std::string sql =
      "SELECT * FROM pragma_foreign_key_check LIMIT " + std::to_string(kListed + 1);
  ResultSet violations = connection.query(sql);
  if (violations.rows.empty()) return;
  // Columns: table, rowid (NULL in a WITHOUT ROWID table), parent, foreign key id.
  struct Group {
    std::string table, parent, rowids;
  };
  std::vector<Group> groups;
  for (std::size_t i = 0; i < violations.rows.size() && i < kListed; ++i) {
    const Row& row = violations.rows[i];
    std::string table = row[0].value_or(""), parent = row[2].value_or("");
    if (groups.empty() || groups.back().table != table || groups.back().parent != parent)
      groups.push_back({table, parent, ""});
    groups.back().rowids += (groups.back().rowids.empty() ? "" : ", ") + row[1].value_or("?");
  }
  std::string message = "rows violate foreign keys (PRAGMA foreign_key_check): ";
  for (std::size_t i = 0; i < groups.size(); ++i)
    message += (i ? "; table " : "table ") + quoted(groups[i].table) + " rowid " +
               groups[i].rowids + " references no row of " + quoted(groups[i].parent);
  if (violations.rows.size() > kListed) message += "; and more";
  throw DatabaseError(message, "PRAGMA foreign_key_check");
}

ForeignKeysOff::ForeignKeysOff(Connection& connection) : connection_(connection) {
  if (connection.in_transaction())
    throw DatabaseError(
        "foreign keys cannot be switched off inside a transaction (SQLite ignores the pragma "
        "there), so a table rebuild cannot run here",
        "PRAGMA foreign_keys = OFF");
  ResultSet setting = connection.query("PRAGMA foreign_keys");
  was_on_ = !setting.rows.empty() && setting.rows[0][0].value_or("0") == "1";
  if (was_on_) connection.execute("PRAGMA foreign_keys = OFF");
}

ForeignKeysOff::~ForeignKeysOff() {
  if (!was_on_ || connection_.in_transaction()) return;
  try {
    connection_.execute("PRAGMA foreign_keys = ON");
  } catch (const std::exception&) {
    // The connection is failing; what failed before is what the caller reports.
  }
}

void ForeignKeyLedger::after_step(const plan::Step& step, bool applied) {
  if (off_) unchecked_ = !(applied && !rebuilt_tables(step).empty());
}

void ForeignKeyLedger::check_before_commit(Connection& connection) {
  if (!unchecked_) return;
  check_foreign_keys(connection);
  unchecked_ = false;
}

namespace {

// Whether a view can still be read: SQLite resolves its names only when it is used.
bool view_works(Connection& connection, const std::string& view, std::string* error = nullptr) {
  try {
    connection.execute("SELECT * FROM " + quoted(view) + " LIMIT 0");
    return true;
  } catch (const DatabaseError& e) {
    if (error) *error = e.what();
    return false;
  }
}

}  // namespace

RebuildObjects RebuildObjects::capture(Connection& connection,
                                       const std::vector<std::string>& tables) {
  RebuildObjects out;
  // sql is NULL for the indexes SQLite makes for PRIMARY KEY and UNIQUE: the new table has its own.
  std::string objects =
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
      "AND sql IS NOT NULL AND tbl_name = " +
      connection.placeholder(1) + " COLLATE NOCASE ORDER BY rowid";
  // Views that may use the table (its name appears in their text) and work now; one that was
  // broken already is not this step's doing.
  std::string views = "SELECT name FROM sqlite_master WHERE type = 'view' AND instr(lower(sql), " +
                      std::string("lower(") + connection.placeholder(1) + ")) > 0";
  // An index's named columns (cid -2 marks an expression, -1 the rowid; neither has a name).
  std::string index_columns = "SELECT name FROM pragma_index_info(" + connection.placeholder(1) +
                              ") WHERE name IS NOT NULL";
  for (const auto& table : tables) {
    for (const Row& row : connection.query(objects, {table}).rows) {
      Object object{
          row[0].value_or(""), row[1].value_or(""), row[2].value_or(""), row[3].value_or(""), {}};
      if (object.type == "index")
        for (const Row& column : connection.query(index_columns, {object.name}).rows)
          object.columns.push_back(column[0].value_or(""));
      out.objects_.push_back(std::move(object));
    }
    for (const Row& row : connection.query(views, {table}).rows)
      if (view_works(connection, row[0].value_or("")))
        out.objects_.push_back({"view", row[0].value_or(""), table, "", {}});
  }
  return out;
}

void RebuildObjects::restore(Connection& connection) const {
  std::string exists =
      "SELECT COUNT(*) FROM sqlite_master WHERE type = " + connection.placeholder(1) +
      " AND name = " + connection.placeholder(2) + " COLLATE NOCASE";
  std::string has_column = "SELECT COUNT(*) FROM pragma_table_info(" + connection.placeholder(1) +
                           ") WHERE name = " + connection.placeholder(2) + " COLLATE NOCASE";
  auto lost_a_column = [&](const Object& index) {
    for (const auto& column : index.columns) {
      ResultSet found = connection.query(has_column, {index.table, column});
      if (found.rows.empty() || found.rows[0][0].value_or("0") == "0") return true;
    }
    return false;
  };
  for (const auto& object : objects_) {
    if (object.type == "view") continue;
    // An index over a column the step dropped goes with it, as on PostgreSQL. Creating it again
    // would not even fail: SQLite reads the unknown "column" as a string literal (its
    // double-quoted-string misfeature) and would index a constant.
    if (object.type == "index" && lost_a_column(object)) continue;
    ResultSet found = connection.query(exists, {object.type, object.name});
    if (!found.rows.empty() && found.rows[0][0].value_or("0") != "0") continue;
    try {
      connection.execute(object.sql);
    } catch (const DatabaseError& e) {
      std::string why = e.what();
      if (object.type == "index" && starts_with(why, "no such column")) continue;
      throw DatabaseError("the rebuild of table " + quoted(object.table) + " dropped its " +
                              object.type + " " + quoted(object.name) +
                              ", and it cannot be created again as sqlite_schema held it: " + why,
                          object.sql);
    }
  }
  // Views are not dropped with the table, but one that used a column the step dropped no
  // longer works: PostgreSQL refuses such a change, and so does this.
  for (const auto& object : objects_) {
    std::string error;
    if (object.type != "view" || view_works(connection, object.name, &error)) continue;
    throw DatabaseError("view " + quoted(object.name) +
                            " no longer works after the rebuild of table " + quoted(object.table) +
                            ": " + error,
                        "SELECT * FROM " + quoted(object.name) + " LIMIT 0");
  }
}

}  // namespace migpkg::runtime
