#pragma once
// `copy --create` (docs/data.md, "copy"): the target tables the source has and the target does
// not, compiled for the target's dialect by the same compiler as migrations
// (compiler/dialects/ddl_generator.hpp): each table first with its columns (portable types, NOT
// NULL, defaults), primary key and CHECK constraints; after the rows, its unique and non-unique
// indexes and the foreign keys among the copied tables (copy_schema.hpp translates the source's
// defaults and checks).
#include <string>
#include <vector>

#include "runtime/data/data_mapping.hpp"
#include "runtime/data/data_table.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::data {

struct CreatePlan {
  std::vector<std::string> created;            // target tables to create, parents first
  std::vector<std::string> create_statements;  // their CREATE TABLE
  std::vector<std::string> after_statements;   // indexes and foreign keys, after the rows
  // Defaults and checks of the source left out (no portable meaning), one line each.
  std::vector<std::string> notes;
};

// Throws std::runtime_error naming table and column when the target's dialect cannot hold a
// column's type. Tables the target has already are left as they are, but for those in
// `created_before` (made by the same command run before and stopped): their keys still come.
CreatePlan plan_create(runtime::Connection& source, runtime::Connection& target,
                       const std::vector<DataTable>& tables, const DataMapping* mapping,
                       const std::vector<std::string>& created_before);
// The CREATE TABLEs (one transaction where the engine's DDL is transactional).
void create_tables(runtime::Connection& target, const CreatePlan& plan);
// The unique keys and foreign keys.
void finish_tables(runtime::Connection& target, const CreatePlan& plan);

}  // namespace migpkg::data
