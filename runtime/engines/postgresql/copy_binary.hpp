#pragma once
// Internal to runtime/engines/postgresql/: rows in COPY's binary format (`COPY ... FROM STDIN
// (FORMAT binary)`), each value in its type's binary send form, so that the server does not parse
// numbers, decimals, dates and times from text. Which form a column takes is read from the
// catalog (the column's type, or a domain's base type), never guessed from the portable type
// alone: bytes in the wrong form could be read as another value of another type without an
// error. A column whose type has no form here (vector, a domain over a domain, any other type)
// sends its table's rows in text format instead (data_write.cpp).
#include <optional>
#include <string>
#include <vector>

#include "runtime/data/data_table.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime::postgresql_data {

enum class BinaryForm {
  Bool,
  Int2,
  Int4,
  Int8,
  Float4,
  Float8,
  Numeric,
  Text,  // text, varchar, bpchar, json and enum labels: the UTF-8 bytes as they are
  Jsonb,
  Bytea,
  Date,
  Time,
  Timestamp,  // timestamp and timestamptz: microseconds since 2000-01-01 (UTC for timestamptz)
  Uuid,
};

// The form of a column whose portable type is `type` and whose catalog type is `type_oid`
// (a domain's base type) of kind `type_kind` (pg_type.typtype: 'b' base, 'e' enum); nullopt when
// the pair is not one this file encodes.
std::optional<BinaryForm> binary_form(const ir::ColumnType& type, unsigned type_oid,
                                      char type_kind);

// Each column's binary form, from its catalog type in `table` (a domain's base type); nullopt for
// a column whose type has none.
std::vector<std::optional<BinaryForm>> catalog_binary_forms(
    Connection& connection, const std::string& table,
    const std::vector<const data::DataColumn*>& columns);

// The 19 bytes that start a binary COPY stream, and the two that end it.
void append_binary_header(std::string& out);
void append_binary_trailer(std::string& out);
// One row: its field count, then each value (NULL as length -1). The values are in portable form
// and fitted to their columns (data::portable::fit), as write_data has them; throws
// std::invalid_argument when one is not (an integer out of its column's range, a date that is not
// one), for the caller to send the batch in text format instead.
void append_binary_row(std::string& out, const std::vector<BinaryForm>& forms,
                       const data::Row& row);

}  // namespace migpkg::runtime::postgresql_data
