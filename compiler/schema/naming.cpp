#include "compiler/schema/naming.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace migpkg::schema {
namespace {

std::string sanitize(const std::string& part) {
  std::string out;
  for (char c : part) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::string joined(const std::string& prefix, const std::string& table,
                   const std::vector<std::string>& columns) {
  std::string out = prefix + "_" + sanitize(table);
  for (const auto& column : columns) out += "_" + sanitize(column);
  return bounded_name(out);
}

// FNV-1a, 32 bits: stable across platforms and compilers, unlike std::hash.
std::string short_hash(const std::string& text) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 16777619u;
  }
  char buffer[9];
  std::snprintf(buffer, sizeof buffer, "%08x", hash);
  return buffer;
}

}  // namespace

std::string bounded_name(const std::string& name) {
  return bounded_name(name, kMaxGeneratedNameLength);
}

std::string bounded_name(const std::string& name, std::size_t max) {
  if (name.size() <= max) return name;
  std::size_t keep = max - 9;
  // Generated names are ASCII, but a written one may not be: never cut inside a UTF-8 sequence.
  while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;
  return name.substr(0, keep) + "_" + short_hash(name);
}

std::string primary_key_name(const std::string& table) {
  return bounded_name("pk_" + sanitize(table));
}

std::string unique_name(const std::string& table, const std::vector<std::string>& columns) {
  return joined("uq", table, columns);
}

std::string foreign_key_name(const std::string& table, const std::vector<std::string>& columns) {
  return joined("fk", table, columns);
}

std::string check_name(const std::string& table, std::size_t ordinal) {
  return bounded_name("ck_" + sanitize(table) + "_" + std::to_string(ordinal));
}

std::string check_name(const std::string& table, const std::string& expression) {
  return bounded_name("ck_" + sanitize(table) + "_" + short_hash(expression));
}

std::string index_name(const std::string& table, const std::vector<std::string>& columns,
                       bool unique) {
  return joined(unique ? "ux" : "ix", table, columns);
}

std::string default_constraint_name(const std::string& table, const ir::Constraint& constraint,
                                    std::size_t check_ordinal) {
  switch (constraint.kind) {
    case ir::Constraint::Kind::PrimaryKey:
      return primary_key_name(table);
    case ir::Constraint::Kind::Unique:
      return unique_name(table, constraint.columns);
    case ir::Constraint::Kind::ForeignKey:
      return foreign_key_name(table, constraint.columns);
    case ir::Constraint::Kind::Check:
      return check_ordinal ? check_name(table, check_ordinal) : check_name(table, constraint.check);
  }
  return {};
}

void normalize(ir::SchemaChange& change) {
  using Kind = ir::SchemaChange::Kind;
  switch (change.kind) {
    case Kind::CreateTable: {
      std::size_t checks = 0;
      for (auto& constraint : change.constraints) {
        if (constraint.kind == ir::Constraint::Kind::Check) ++checks;
        if (constraint.name.empty())
          constraint.name = default_constraint_name(change.table, constraint, checks);
      }
      break;
    }
    case Kind::AddConstraint:
      for (auto& constraint : change.constraints)
        if (constraint.name.empty())
          constraint.name = default_constraint_name(change.table, constraint, 0);
      break;
    case Kind::CreateIndex:
      if (change.index.name.empty())
        change.index.name =
            index_name(change.index.table, change.index.columns, change.index.unique);
      break;
    default:
      break;
  }
}

}  // namespace migpkg::schema
