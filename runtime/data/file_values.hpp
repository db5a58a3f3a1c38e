#pragma once
// A value as a data-set file spells it (a CSV field, an NDJSON string or number token) checked
// against its column's portable type and turned into the portable form (data_table.hpp). Files
// are untrusted and may be written by hand, so the spellings a person would use for the same
// value are accepted and normalized ("-0" integers, decimals with fewer fraction digits than
// the scale, upper-case uuids, "1.50" floats, "2024-01-02 03:04:05", offsets "+02:00" on
// timestamptz); anything else is refused with the reason.
#include <string>
#include <string_view>

#include "compiler/ir/schema_change.hpp"

namespace migpkg::data {

// Puts the portable form of `text` into `out` and returns "", or returns why `text` is not a
// value of `type` (`out` is then unspecified). Bytes are base64 in files: decoded here.
std::string portable_from_file(const ir::ColumnType& type, std::string_view text, std::string& out);

// Whether values of `kind` are written as bare JSON numbers in NDJSON (integers, and floats
// other than NaN and the infinities).
bool written_as_json_number(ir::ColumnType::Kind kind);
// Whether values of `kind` are embedded JSON in NDJSON (json, vector).
bool written_as_embedded_json(ir::ColumnType::Kind kind);

}  // namespace migpkg::data
