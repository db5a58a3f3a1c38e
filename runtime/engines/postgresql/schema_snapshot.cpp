// PostgreSQL schema inspection from the system catalogs. Definitions come from the server's own
// pg_get_*def functions, which print a canonical form regardless of how the SQL was written.
// Column positions are ordinals among live columns, not attnum, because dropping and re-adding
// a column moves its attnum without changing the table a user sees.
#include <map>
#include <string>
#include <vector>

#include "runtime/check/schema_snapshot.hpp"
#include "runtime/engines/postgresql/postgresql_engine.hpp"

namespace migpkg::runtime::snapshot_detail {
namespace {

std::string text(const std::optional<std::string>& value) {
  return value.value_or("");
}

std::string qualified(const Row& row, std::size_t schema_column) {
  return quoted(text(row[schema_column])) + "." + quoted(text(row[schema_column + 1]));
}

// Namespaces that hold user objects, for the pg_namespace row aliased `n`.
const std::string kUserNamespace =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
    "AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

// The relation aliased `c` belongs to the user: not migpkg's bookkeeping, not an extension's.
const std::string kUserRelation =
    kUserNamespace +
    " AND c.relname NOT LIKE 'migpkg\\_%' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
    "d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";

// Sorted so that grant order does not matter; the default ACL stands in for NULL so that a
// GRANT undone by a REVOKE compares equal to never granting.
std::string privileges(const std::string& acl, const std::string& kind, const std::string& owner) {
  return "array_to_string(ARRAY(SELECT item::text FROM unnest(coalesce(" + acl + ", acldefault(" +
         kind + ", " + owner + "))) item ORDER BY 1), ',')";
}

void add_schemas_and_extensions(Connection& db, std::vector<std::string>& out) {
  for (const Row& row :
       db.query("SELECT n.nspname, " + privileges("n.nspacl", "'n'", "n.nspowner") +
                " FROM pg_namespace n WHERE " + kUserNamespace + " AND n.nspname <> 'public'")
           .rows) {
    out.push_back("schema " + quoted(text(row[0])));
    out.push_back("schema " + quoted(text(row[0])) + " privileges " + text(row[1]));
  }
  for (const Row& row : db.query("SELECT e.extname, e.extversion, n.nspname FROM pg_extension e "
                                 "JOIN pg_namespace n ON n.oid = e.extnamespace "
                                 "WHERE e.extname <> 'plpgsql'")
                            .rows)
    out.push_back("extension " + quoted(text(row[0])) + " version " + text(row[1]) + " schema " +
                  quoted(text(row[2])));
}

void add_relations(Connection& db, std::vector<std::string>& out) {
  ResultSet relations = db.query(
      "SELECT n.nspname, c.relname, c.relkind, c.relpersistence, c.relrowsecurity, "
      "c.relforcerowsecurity, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
      "CASE WHEN c.relispartition THEN (SELECT quote_ident(pn.nspname) || '.' || "
      "quote_ident(p.relname) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent "
      "JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid) || ' ' || "
      "pg_get_expr(c.relpartbound, c.oid) END, "
      "CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END, " +
      privileges("c.relacl", "CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\"",
                 "c.relowner") +
      ", CASE WHEN c.relkind = 'S' THEN (SELECT format_type(s.seqtypid, NULL) || ' start ' || "
      "s.seqstart || ' increment ' || s.seqincrement || ' minvalue ' || s.seqmin || "
      "' maxvalue ' || s.seqmax || ' cache ' || s.seqcache || "
      "CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END FROM pg_sequence s "
      "WHERE s.seqrelid = c.oid) END, "
      "o.owner, o.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "LEFT JOIN LATERAL (SELECT quote_ident(tn.nspname) || '.' || quote_ident(t.relname) || "
      "'.' || quote_ident(a.attname) AS owner, t.relname FROM pg_depend d "
      "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = t.relnamespace "
      "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
      "WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
      "AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')) o ON true "
      "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND " +
      kUserRelation);
  for (const Row& row : relations.rows) {
    std::string name = qualified(row, 0), kind = text(row[2]), line;
    if (kind == "r" || kind == "p") {
      line = "table " + name;
      if (text(row[3]) == "u") line += " unlogged";
      if (row[6]) line += " partition by " + *row[6];
      if (row[7]) line += " partition of " + *row[7];
      if (text(row[4]) == "t") line += " row level security";
      if (text(row[5]) == "t") line += " forced";
    } else if (kind == "v" || kind == "m") {
      line = (kind == "v" ? "view " : "materialized view ") + name + " " +
             collapse_whitespace(text(row[8]));
    } else {
      // A serial or identity column's sequence goes with its table, bookkeeping ones too.
      if (text(row[12]).rfind("migpkg_", 0) == 0) continue;
      line = "sequence " + name + " as " + text(row[10]);
      if (row[11]) line += " owned by " + *row[11];
    }
    out.push_back(line);
    out.push_back(line.substr(0, line.find(name)) + name + " privileges " + text(row[9]));
  }
}

void add_columns(Connection& db, std::vector<std::string>& out) {
  ResultSet columns = db.query(
      "SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
      "a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, "
      "CASE WHEN a.attcollation <> t.typcollation THEN co.collname END "
      "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
      "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND " +
      kUserRelation + " ORDER BY n.nspname, c.relname, a.attnum");
  std::string table, order;
  auto flush_order = [&] {
    if (!table.empty()) out.push_back("table " + table + " columns " + order);
  };
  for (const Row& row : columns.rows) {
    std::string this_table = qualified(row, 0), name = quoted(text(row[2]));
    if (this_table != table) {
      flush_order();
      table = this_table;
      order.clear();
    }
    order += (order.empty() ? "" : ", ") + name;
    std::string line = "table " + table + " column " + name + " " + text(row[3]);
    if (row[8]) line += " collate " + quoted(*row[8]);
    if (text(row[4]) == "t") line += " not null";
    if (text(row[7]) == "s")
      line += " generated always as (" + text(row[5]) + ") stored";
    else if (row[5])
      line += " default " + *row[5];
    if (text(row[6]) == "a") line += " generated always as identity";
    if (text(row[6]) == "d") line += " generated by default as identity";
    out.push_back(line);
  }
  flush_order();
}

void add_constraints_indexes_triggers(Connection& db, std::vector<std::string>& out) {
  for (const Row& row : db.query("SELECT n.nspname, c.relname, co.conname, "
                                 "pg_get_constraintdef(co.oid, true) FROM pg_constraint co "
                                 "JOIN pg_class c ON c.oid = co.conrelid "
                                 "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
                                 kUserRelation)
                            .rows)
    out.push_back("table " + qualified(row, 0) + " constraint " + quoted(text(row[2])) + " " +
                  text(row[3]));
  for (const Row& row : db.query("SELECT n.nspname, ic.relname, pg_get_indexdef(i.indexrelid), "
                                 "i.indisvalid FROM pg_index i "
                                 "JOIN pg_class ic ON ic.oid = i.indexrelid "
                                 "JOIN pg_class c ON c.oid = i.indrelid "
                                 "JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE " +
                                 kUserRelation)
                            .rows)
    out.push_back("index " + qualified(row, 0) + " " + text(row[2]) +
                  (text(row[3]) == "t" ? "" : " invalid"));
  for (const Row& row : db.query("SELECT n.nspname, c.relname, t.tgname, "
                                 "pg_get_triggerdef(t.oid, true), t.tgenabled FROM pg_trigger t "
                                 "JOIN pg_class c ON c.oid = t.tgrelid "
                                 "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE NOT t.tgisinternal AND " +
                                 kUserRelation)
                            .rows)
    out.push_back("trigger " + qualified(row, 0) + " " + quoted(text(row[2])) + " " + text(row[3]) +
                  (text(row[4]) == "O" ? "" : " enabled " + text(row[4])));
  for (const Row& row : db.query("SELECT n.nspname, c.relname, p.polname, p.polpermissive, "
                                 "p.polcmd, array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN "
                                 "'public' ELSE r::regrole::text END FROM unnest(p.polroles) r "
                                 "ORDER BY 1), ','), pg_get_expr(p.polqual, p.polrelid), "
                                 "pg_get_expr(p.polwithcheck, p.polrelid) FROM pg_policy p "
                                 "JOIN pg_class c ON c.oid = p.polrelid "
                                 "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " +
                                 kUserRelation)
                            .rows) {
    static const std::map<std::string, std::string> kCommands = {
        {"*", "all"}, {"r", "select"}, {"a", "insert"}, {"w", "update"}, {"d", "delete"}};
    auto command = kCommands.find(text(row[4]));
    std::string line = "table " + qualified(row, 0) + " policy " + quoted(text(row[2])) +
                       (text(row[3]) == "t" ? " permissive" : " restrictive") + " for " +
                       (command == kCommands.end() ? text(row[4]) : command->second) + " to " +
                       text(row[5]);
    if (row[6]) line += " using (" + *row[6] + ")";
    if (row[7]) line += " with check (" + *row[7] + ")";
    out.push_back(line);
  }
}

void add_types(Connection& db, std::vector<std::string>& out) {
  ResultSet types = db.query(
      "SELECT n.nspname, t.typname, t.typtype, CASE t.typtype "
      "WHEN 'e' THEN 'enum (' || (SELECT string_agg(quote_literal(e.enumlabel), ', ' "
      "ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) || ')' "
      "WHEN 'c' THEN 'composite (' || (SELECT string_agg(quote_ident(a.attname) || ' ' || "
      "format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a "
      "WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) || ')' "
      "WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) || "
      "CASE WHEN t.typnotnull THEN ' not null' ELSE '' END || "
      "coalesce(' default ' || t.typdefault, '') "
      "WHEN 'r' THEN (SELECT 'range of ' || format_type(r.rngsubtype, NULL) FROM pg_range r "
      "WHERE r.rngtypid = t.oid) END "
      "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
      "WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND "
      "(SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')) AND " +
      kUserNamespace +
      " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass "
      "AND d.objid = t.oid AND d.deptype = 'e')");
  for (const Row& row : types.rows)
    out.push_back((text(row[2]) == "d" ? "domain " : "type ") + qualified(row, 0) + " " +
                  text(row[3]));
  for (const Row& row : db.query("SELECT n.nspname, t.typname, co.conname, "
                                 "pg_get_constraintdef(co.oid, true) FROM pg_constraint co "
                                 "JOIN pg_type t ON t.oid = co.contypid "
                                 "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " +
                                 kUserNamespace)
                            .rows)
    out.push_back("domain " + qualified(row, 0) + " constraint " + quoted(text(row[2])) + " " +
                  text(row[3]));
}

void add_functions(Connection& db, std::vector<std::string>& out) {
  // pg_get_functiondef covers body, language, volatility, security and settings alike; it
  // refuses aggregates, whose identity and result are compared instead.
  ResultSet functions = db.query(
      "SELECT n.nspname, p.proname, p.prokind, pg_get_function_identity_arguments(p.oid), "
      "pg_get_function_result(p.oid), "
      "CASE WHEN p.prokind <> 'a' THEN md5(pg_get_functiondef(p.oid)) END, " +
      privileges("p.proacl", "'f'", "p.proowner") +
      " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + kUserNamespace +
      " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass "
      "AND d.objid = p.oid AND d.deptype IN ('e', 'i'))");  // 'i': a range's constructors
  for (const Row& row : functions.rows) {
    std::string kind = text(row[2]);
    std::string noun = kind == "p" ? "procedure " : kind == "a" ? "aggregate " : "function ";
    std::string signature = noun + qualified(row, 0) + "(" + text(row[3]) + ")";
    std::string line = signature;
    if (row[4]) line += " returns " + *row[4];
    if (kind == "w") line += " window";
    if (row[5]) line += " definition md5 " + *row[5];
    out.push_back(line);
    out.push_back(signature + " privileges " + text(row[6]));
  }
}

}  // namespace

std::vector<std::string> inspect_postgresql(Connection& db) {
  std::vector<std::string> out;
  add_schemas_and_extensions(db, out);
  add_relations(db, out);
  add_columns(db, out);
  add_constraints_indexes_triggers(db, out);
  add_types(db, out);
  add_functions(db, out);
  return out;
}

}  // namespace migpkg::runtime::snapshot_detail
