#pragma once
// `copy --create` (docs/data.md, "copy"): the target tables the source has and the target does
// not, compiled for the target's dialect by the same compiler as migrations
// (compiler/dialects/ddl_generator.hpp): each table first with its columns (portable types, NOT
// NULL, defaults), primary key and CHECK constraints; after the rows, its unique and non-unique
// indexes and the foreign keys among the copied tables (copy_schema.hpp translates the source's
// defaults and checks).
#include <map>
#include <string>
#include <vector>

#include "runtime/data/data_mapping.hpp"
#include "runtime/data/data_table.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::data {

struct CreatePlan {
  std::vector<std::string> created;            // target tables to create, parents first
  std::vector<std::string> create_statements;  // their CREATE TABLE
  std::vector<std::string> after_statements;   // keys, indexes and foreign keys, after the rows
  // Tables whose primary key comes with after_statements (Engine::adds_primary_key_after_load)
  // -> its columns: the load treats them as keyed (checkpoints, undo) before the key exists.
  std::map<std::string, std::vector<std::string>> keys_after_load;
  // Defaults and checks of the source left out (no portable meaning), one line each.
  std::vector<std::string> notes;
};

// Throws std::runtime_error naming table and column when the target's dialect cannot hold a
// column's type. Tables the target has already are left as they are, but for those in
// `created_before` (made by the same command run before and stopped): their keys still come.
// `primary_keys_later`: where the target engine prefers it, primary keys come after the rows
// too (only for a load that cannot meet an existing key: on-conflict fail, strict).
CreatePlan plan_create(runtime::Connection& source, runtime::Connection& target,
                       const std::vector<DataTable>& tables, const DataMapping* mapping,
                       const std::vector<std::string>& created_before, bool primary_keys_later);
// The CREATE TABLEs (one transaction where the engine's DDL is transactional).
void create_tables(runtime::Connection& target, const CreatePlan& plan);
// The unique keys and foreign keys.
void finish_tables(runtime::Connection& target, const CreatePlan& plan);

}  // namespace migpkg::data
