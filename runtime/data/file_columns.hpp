#pragma once
// A table file that holds some of a table's columns (a load step's file, docs/format-changes.md,
// "Loading data"): the columns its first record names, and those columns as a table of their own,
// so that the data-set decoders (row_codec.hpp), which want exactly a table's columns, read it with
// every rule of a data-set file.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data/data_table.hpp"
#include "runtime/data/dataset.hpp"

namespace migpkg::data {

// The column names of the file's first record, in file order: CSV's header fields; NDJSON's
// first row's keys. Throws DecodeError "FILE:LINE: what" when the record is not one.
std::vector<std::string> file_columns(FileFormat format, std::string_view first_record,
                                      std::uint64_t line, const std::string& file);

// `table`'s columns named `names`, in that order (named for messages after the table and the
// line that names them; the caller writes rows with the table itself). Throws DecodeError
// "FILE:LINE: what" for a name that is not a column of the table or is there twice.
DataTable column_subset(const DataTable& table, const std::vector<std::string>& names,
                        std::uint64_t line, const std::string& file);

}  // namespace migpkg::data
