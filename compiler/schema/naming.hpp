#pragma once
// Deterministic default names for constraints and indexes, and the normalization both front
// ends apply to a SchemaChange before handing it on. The same change therefore gets the same
// names whichever front end wrote it, and every dialect can drop what it created by name.
//
//   primary key   pk_<table>
//   unique        uq_<table>_<col>_<col>...
//   foreign key   fk_<table>_<col>...
//   check         ck_<table>_<n>   (n: 1-based among the checks of one create table)
//                 ck_<table>_<hash of the expression>  (an added check)
//   index         ix_<table>_<col>...   unique index: ux_<table>_<col>...
//
// Non-alphanumeric characters become '_' (a schema-qualified "crm.users" gives "crm_users").
// Names longer than kMaxGeneratedNameLength are cut and end in '_' + 8 hex digits of a hash of
// the full name, so two long names that share a prefix stay distinct.
#include <cstddef>
#include <string>
#include <vector>

#include "compiler/ir/schema_change.hpp"

namespace migpkg::schema {

// PostgreSQL keeps 63 bytes of an identifier (and silently truncates longer ones), MySQL 64,
// SQL Server 128: 63 fits them. Oracle before 12.2 allows 30; its DDL cuts the names again
// (DdlSpec::max_name_length), so the names in the sources and checksums stay the same.
inline constexpr std::size_t kMaxGeneratedNameLength = 63;

std::string primary_key_name(const std::string& table);
std::string unique_name(const std::string& table, const std::vector<std::string>& columns);
std::string foreign_key_name(const std::string& table, const std::vector<std::string>& columns);
std::string check_name(const std::string& table, std::size_t ordinal);
std::string check_name(const std::string& table, const std::string& expression);
std::string index_name(const std::string& table, const std::vector<std::string>& columns,
                       bool unique);

// Cuts a name to kMaxGeneratedNameLength with a hash suffix when it is longer.
std::string bounded_name(const std::string& name);
// The same for a limit of `max` characters (at least 10): the first max - 9 characters, '_' and
// 8 hex digits of a hash of the whole name. The DDL of a dialect with shorter identifiers than
// kMaxGeneratedNameLength (Oracle before 12.2: 30) writes constraint and index names through it.
std::string bounded_name(const std::string& name, std::size_t max);

// The default name for a constraint of `table` (ordinal: its position among the checks of a
// create table, 0 when it is added alone).
std::string default_constraint_name(const std::string& table, const ir::Constraint& constraint,
                                    std::size_t check_ordinal);

// Fills every missing constraint and index name of the change (create table, add
// constraint, create index; drop index keeps what the author wrote). Idempotent.
void normalize(ir::SchemaChange& change);

}  // namespace migpkg::schema
