// What the runtime asks a PostgreSQL database about its tables (engine.hpp, "Catalog",
// "Executing plans", "Bulk rows"), in the schema migpkg works in (current_schema()).
#include <optional>
#include <string>

#include "compiler/planner/plan.hpp"
#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/engines/row_io.hpp"
#include "runtime/engines/sql_names.hpp"

namespace migpkg::runtime {
namespace {

std::string value(const std::optional<std::string>& cell) {
  return cell.value_or("");
}

// Column names of a pg_constraint / pg_index key, separated by the unit separator.
const char* const kKeyColumns =
    "(SELECT string_agg(a.attname, chr(31) ORDER BY k.ord) FROM unnest(%s) WITH ORDINALITY "
    "k(num, ord) JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.num)";

std::string key_columns(const std::string& array, const std::string& relation) {
  std::string sql = kKeyColumns;
  sql.replace(sql.find("%s"), 2, array);
  sql.replace(sql.find("%s"), 2, relation);
  return sql;
}

std::vector<std::string> split_names(const std::string& joined) {
  std::vector<std::string> out;
  std::string current;
  for (char c : joined) {
    if (c == '\x1f') {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!joined.empty()) out.push_back(current);
  return out;
}

}  // namespace

std::vector<std::string> PostgresqlEngine::inspect_schema(Connection& connection) const {
  return snapshot_detail::inspect_postgresql(connection);
}

ResultSet PostgresqlEngine::list_objects(Connection& connection) const {
  return connection.query(
      "SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' "
      "WHEN 'f' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'view' "
      "WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'S' THEN 'sequence' "
      "ELSE 'relation' END, c.relname FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema()");
}

// A failed query would abort the open transaction, so the catalog is asked instead.
bool PostgresqlEngine::table_exists(Connection& connection, const std::string& table) const {
  auto found = connection.query("SELECT to_regclass($1) IS NOT NULL", {table});
  return !found.rows.empty() && found.rows[0][0].value_or("") == "t";
}

bool PostgresqlEngine::own_table_exists(Connection& connection, const std::string& name) const {
  auto result = connection.query("SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE tablename = '" +
                                 name + "' AND schemaname = current_schema()");
  return !result.rows.empty() && result.rows[0][0].value_or("0") != "0";
}

std::vector<std::string> PostgresqlEngine::user_tables(Connection& connection) const {
  ResultSet rows = connection.query(
      "SELECT c.relname FROM pg_class c WHERE c.relnamespace = "
      "to_regnamespace(current_schema()) AND c.relkind IN ('r', 'p') AND NOT "
      "c.relispartition AND c.relname NOT LIKE 'migpkg\\_%' ORDER BY c.relname");
  std::vector<std::string> out;
  for (auto& row : rows.rows) out.push_back(row[0].value_or(""));
  return out;
}

std::vector<std::string> PostgresqlEngine::primary_key(Connection& connection,
                                                       const std::string& table) const {
  auto rows = connection.query(
      "SELECT a.attname FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord) "
      "JOIN pg_attribute a ON a.attnum = k.num WHERE a.attrelid = i.indrelid AND "
      "i.indrelid = to_regclass(quote_ident($1)) AND i.indisprimary ORDER BY k.ord",
      {table});
  std::vector<std::string> key;
  for (auto& row : rows.rows) key.push_back(row[0].value_or(""));
  return key;
}

std::optional<TableDescription> PostgresqlEngine::describe_table(Connection& db,
                                                                 const std::string& table) const {
  const std::string relation = "to_regclass(quote_ident($1))";
  ResultSet columns = db.query(
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "a.attidentity <> '' OR a.attgenerated <> '' OR "
      "coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%', "
      "(SELECT string_agg(e.enumlabel, chr(31) ORDER BY e.enumsortorder) FROM pg_enum e "
      "WHERE e.enumtypid = a.atttypid) "
      "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "WHERE a.attrelid = " +
          relation + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
      {table});
  if (columns.rows.empty()) return std::nullopt;
  TableDescription out;
  for (const Row& row : columns.rows) {
    ColumnDescription column;
    column.name = value(row[0]);
    column.type = value(row[1]);
    if (row[4]) column.enum_values = split_names(*row[4]);
    column.nullable = value(row[2]) != "t";
    column.generated = value(row[3]) == "t";
    out.columns.push_back(column);
  }
  for (const Row& row :
       db.query("SELECT " + key_columns("i.indkey::int2[]", "i.indrelid") +
                    " FROM pg_index i WHERE i.indrelid = " + relation +
                    " AND i.indisunique AND i.indexprs IS NULL ORDER BY i.indisprimary DESC",
                {table})
           .rows)
    if (row[0]) out.unique_keys.push_back(split_names(*row[0]));
  for (const Row& row : db.query("SELECT " + key_columns("c.conkey", "c.conrelid") +
                                     ", p.relname, " + key_columns("c.confkey", "c.confrelid") +
                                     " FROM pg_constraint c JOIN pg_class p ON p.oid = c.confrelid "
                                     "WHERE c.contype = 'f' AND c.conrelid = " +
                                     relation,
                                 {table})
                            .rows) {
    ForeignKeyDescription key;
    key.columns = split_names(value(row[0]));
    key.ref_table = value(row[1]);
    key.ref_columns = split_names(value(row[2]));
    out.foreign_keys.push_back(key);
  }
  return out;
}

std::vector<std::string> PostgresqlEngine::foreign_key_violations(Connection& db) const {
  std::vector<std::string> out;
  auto constraints = db.query(
      "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text, c.conname, "
      "(SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH "
      "ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = "
      "k.num), "
      "(SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord) FROM unnest(c.confkey) WITH "
      "ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = "
      "k.num) "
      "FROM pg_constraint c WHERE c.contype = 'f' AND NOT c.convalidated");
  for (const Row& row : constraints.rows) {
    std::string child = row[0].value_or(""), parent = row[1].value_or("");
    std::string columns = row[3].value_or(""), refs = row[4].value_or("");
    auto count =
        db.query("SELECT count(*) FROM " + child + " WHERE (" + columns + ") IS NOT NULL AND (" +
                 columns + ") NOT IN (SELECT " + refs + " FROM " + parent + ")");
    std::string n = count.rows.at(0).at(0).value_or("0");
    if (n != "0")
      out.push_back("table " + child + ": " + n + " rows whose column " + columns +
                    " (NOT VALID constraint " + row[2].value_or("") + ") points at no row of " +
                    parent);
  }
  return out;
}

// The source's single-column integer primary key; any other key would not split into ranges.
std::string PostgresqlEngine::batch_key(Connection& connection,
                                        const plan::TransformInfo& info) const {
  auto result = connection.query(
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_index i JOIN pg_attribute "
      "a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass "
      "AND i.indisprimary",
      {double_quoted_qualified(info.source_table)});
  if (result.rows.size() != 1) return "";
  std::string type = result.rows[0][1].value_or("");
  if (type != "integer" && type != "bigint" && type != "smallint") return "";
  return double_quoted(result.rows[0][0].value_or(""));
}

bool PostgresqlEngine::rebuilds_need_foreign_keys_off() const {
  return false;
}

void PostgresqlEngine::read_rows(Connection& connection, const std::string& table,
                                 const std::vector<std::string>& columns, std::size_t batch_rows,
                                 const std::function<void(const std::vector<Row>&)>& sink) const {
  row_io::read_rows(connection, table, columns, primary_key(connection, table), batch_rows, sink,
                    double_quoted);
}

void PostgresqlEngine::write_rows(Connection& connection, const std::string& table,
                                  const std::vector<std::string>& columns,
                                  const std::vector<Row>& rows) const {
  row_io::write_rows(connection, table, columns, rows, double_quoted);
}

}  // namespace migpkg::runtime
