#include "compiler/load/file_keys.hpp"

#include <set>

#include "compiler/load/data_file.hpp"
#include "runtime/data/file_columns.hpp"
#include "runtime/data/record_splitter.hpp"
#include "runtime/data/row_codec.hpp"

namespace migpkg {
namespace {

using Kind = ir::ColumnType::Kind;

bool is_integer_kind(Kind kind) {
  return kind == Kind::Int16 || kind == Kind::Int32 || kind == Kind::Int64 ||
         kind == Kind::Serial || kind == Kind::BigSerial;
}

bool is_text_kind(Kind kind) {
  return kind == Kind::Text || kind == Kind::String || kind == Kind::Char || kind == Kind::Enum ||
         kind == Kind::Uuid;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A problem at a line of the file, thrown out of the record splitter's sink.
struct RowProblem {
  std::uint64_t line;
  std::string message;
};

// The data-set decoders' errors read "FILE:LINE: what": the line and what, for a diagnostic.
RowProblem problem_of(const std::string& label, const std::string& message) {
  RowProblem problem{1, message};
  if (message.compare(0, label.size() + 1, label + ":") != 0) return problem;
  std::size_t at = label.size() + 1, end = message.find(':', at);
  if (end == std::string::npos || end == at) return problem;
  problem.line = std::stoull(message.substr(at, end - at));
  std::size_t rest = end + 1;
  while (rest < message.size() && message[rest] == ' ') ++rest;
  problem.message = message.substr(rest);
  return problem;
}

std::string described(const std::vector<ir::Literal>& key) {
  std::string out;
  for (const auto& k : key) out += (out.empty() ? "" : ", ") + k.text;
  return out;
}

}  // namespace

std::vector<std::vector<ir::Literal>> file_keys(const ir::Load& load,
                                                const std::vector<ir::Column>& table_columns,
                                                const std::vector<const ir::Column*>& key_columns,
                                                Diagnostics& diagnostics) {
  std::vector<std::vector<ir::Literal>> out;
  for (const ir::Column* column : key_columns)
    if (!is_integer_kind(column->type.kind) && !is_text_kind(column->type.kind)) {
      diagnostics.error("load-key-type", load.location,
                        "table " + load.table + "'s primary key column " + column->name +
                            " is of a type a load's unload cannot match; a load needs integer, "
                            "text or uuid key columns");
      return out;
    }
  if (!load.content) return out;
  const std::string file = load.path.empty() ? load.file.text : load.path;
  // The file is read as the load step reads it at run time (runtime/data's decoders, on the
  // columns its first record names), so a file that compiles is one the step can load.
  data::DataTable table;
  table.name = load.table;
  for (const ir::Column& column : table_columns)
    table.columns.push_back({column.name, column.type, column.nullable, false});
  const data::FileFormat format =
      ends_with(load.file.text, ".csv") ? data::FileFormat::Csv : data::FileFormat::Ndjson;
  std::unique_ptr<data::RowDecoder> decoder;
  std::vector<std::size_t> key_index;  // where each key column is in the file's rows
  std::set<std::string> seen;
  data::Row row;
  try {
    data::RecordSplitter splitter(
        [&](std::string_view record, std::uint64_t line) {
          if (!decoder) {
            data::DataTable subset = data::column_subset(
                table, data::file_columns(format, record, line, file), line, file);
            for (const ir::Column* column : key_columns) {
              std::size_t i = 0;
              while (i < subset.columns.size() && subset.columns[i].name != column->name) ++i;
              if (i == subset.columns.size())
                throw RowProblem{line, format == data::FileFormat::Csv
                                           ? "the header names no key column " + column->name
                                           : "the row has no value for key column " + column->name};
              key_index.push_back(i);
            }
            decoder = data::make_row_decoder(format, subset, file);
            if (decoder->has_header()) return decoder->read_header(record, line);
          }
          decoder->read_row(record, line, row);
          std::vector<ir::Literal> key;
          for (std::size_t k = 0; k < key_columns.size(); ++k) {
            const data::Value& value = row[key_index[k]];
            if (!value)
              throw RowProblem{line, "column " + key_columns[k]->name +
                                         " is part of the primary key but is null"};
            ir::Literal literal;
            literal.text = *value;  // the portable form: digits, or the text (uuids lower case)
            if (is_integer_kind(key_columns[k]->type.kind)) {
              literal.kind = ir::Literal::Kind::Integer;
              literal.integer = std::stoll(*value);
            } else {
              literal.kind = ir::Literal::Kind::String;
            }
            key.push_back(std::move(literal));
          }
          std::string flat;
          for (const auto& k : key) flat += k.text + '\x1f';
          if (!seen.insert(flat).second)
            throw RowProblem{line, "the primary key (" + described(key) + ") is in the file twice"};
          out.push_back(std::move(key));
        },
        format == data::FileFormat::Csv, kMaxLoadFileBytes, file);
    splitter.feed(load.content->data(), load.content->size());
    splitter.finish();
    if (!decoder && format == data::FileFormat::Csv)
      throw RowProblem{1, "the CSV file is empty: it needs a header line naming the columns"};
  } catch (const RowProblem& problem) {
    diagnostics.error("load-file-row", SourceLocation{file, "", static_cast<int>(problem.line), 1},
                      problem.message);
    out.clear();
  } catch (const data::DecodeError& e) {
    RowProblem problem = problem_of(file, e.what());
    diagnostics.error("load-file-row", SourceLocation{file, "", static_cast<int>(problem.line), 1},
                      problem.message);
    out.clear();
  }
  return out;
}

}  // namespace migpkg
