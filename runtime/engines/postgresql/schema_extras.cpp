// Engine::schema_extras on PostgreSQL: defaults and CHECK constraints as pg_get_expr /
// pg_get_constraintdef print them, and the non-unique indexes on plain columns (no expression,
// no predicate), in the schema migpkg works in.
#include "runtime/engines/postgresql/postgresql_engine.hpp"

namespace migpkg::runtime {

SchemaExtras PostgresqlEngine::schema_extras(Connection& connection,
                                             const std::string& table) const {
  SchemaExtras out;
  const std::string relation = "to_regclass(quote_ident($1))";
  for (const Row& row :
       connection
           .query("SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN "
                  "pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE "
                  "d.adrelid = " +
                      relation + " AND a.attgenerated = '' ORDER BY a.attnum",
                  {table})
           .rows)
    out.defaults.push_back({row[0].value_or(""), row[1].value_or("")});
  std::string last;
  for (const Row& row :
       connection
           .query("SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = "
                  "i.indexrelid CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, "
                  "ord) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                  "WHERE i.indrelid = " +
                      relation +
                      " AND NOT i.indisunique AND i.indexprs IS NULL AND i.indpred IS NULL "
                      "ORDER BY c.relname, k.ord",
                  {table})
           .rows) {
    if (out.indexes.empty() || row[0].value_or("") != last) out.indexes.emplace_back();
    last = row[0].value_or("");
    out.indexes.back().push_back(row[1].value_or(""));
  }
  for (const Row& row : connection
                            .query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                                   "conrelid = " +
                                       relation + " AND contype = 'c' ORDER BY conname",
                                   {table})
                            .rows) {
    // "CHECK ((a > 0))" -> "(a > 0)"; NOT VALID ones were never checked against the rows.
    std::string definition = row[0].value_or("");
    if (definition.rfind("CHECK (", 0) != 0 || definition.find("NOT VALID") != std::string::npos)
      continue;
    std::size_t close = definition.rfind(')');
    out.checks.push_back(definition.substr(7, close - 7));
  }
  return out;
}

}  // namespace migpkg::runtime
