#include "compiler/load/file_keys.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <set>

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

// A key value as the file spells it; `quoted` tells a JSON string or quoted CSV field.
struct Spelled {
  bool null = false;
  bool number = false;  // a JSON number
  std::string text;
};

class KeyReader {
 public:
  KeyReader(const std::vector<const ir::Column*>& columns, std::string file,
            Diagnostics& diagnostics)
      : columns_(columns), file_(std::move(file)), diagnostics_(diagnostics) {}

  // The literal of one key value, or nullopt after reporting why it is not one.
  std::optional<ir::Literal> literal(const ir::Column& column, const Spelled& value, int line) {
    if (value.null)
      return fail(line, "column " + column.name +
                            " is part of the primary key but "
                            "is null");
    ir::Literal out;
    if (is_integer_kind(column.type.kind)) {
      const char* begin = value.text.c_str();
      char* end = nullptr;
      errno = 0;
      long long n = std::strtoll(begin, &end, 10);
      if (value.text.empty() || *end != '\0' || errno == ERANGE || value.text[0] == '+' ||
          value.text[0] == ' ')
        return fail(line, "column " + column.name + ": \"" + value.text + "\" is not an integer");
      out.kind = ir::Literal::Kind::Integer;
      out.integer = n;
      out.text = std::to_string(n);
      return out;
    }
    if (value.number)
      return fail(line, "column " + column.name + ": a number, but the column holds text");
    out.kind = ir::Literal::Kind::String;
    out.text = value.text;
    if (column.type.kind == Kind::Uuid)
      for (char& c : out.text) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
  }

  // Adds the row's key unless it is a repeat (reported).
  bool add(std::vector<ir::Literal> key, int line, std::vector<std::vector<ir::Literal>>& out) {
    std::string flat;
    for (const auto& k : key) flat += k.text + '\x1f';
    if (!seen_.insert(flat).second) {
      fail(line, "the primary key (" + describe(key) + ") is in the file twice");
      return false;
    }
    out.push_back(std::move(key));
    return true;
  }

  std::nullopt_t fail(int line, const std::string& message) {
    diagnostics_.error("load-file-row", SourceLocation{file_, "", line, 1}, message);
    return std::nullopt;
  }

  const std::vector<const ir::Column*>& columns() const { return columns_; }

 private:
  static std::string describe(const std::vector<ir::Literal>& key) {
    std::string out;
    for (const auto& k : key) out += (out.empty() ? "" : ", ") + k.text;
    return out;
  }

  const std::vector<const ir::Column*>& columns_;
  std::string file_;
  Diagnostics& diagnostics_;
  std::set<std::string> seen_;
};

bool ndjson_keys(const std::string& content, KeyReader& reader,
                 std::vector<std::vector<ir::Literal>>& out) {
  int line = 0;
  std::size_t start = 0;
  while (start < content.size()) {
    std::size_t end = content.find('\n', start);
    if (end == std::string::npos) end = content.size();
    std::string_view text(content.data() + start, end - start);
    start = end + 1;
    ++line;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) continue;
    nlohmann::json row = nlohmann::json::parse(text, nullptr, false);
    if (row.is_discarded() || !row.is_object())
      return reader.fail(line, "not a JSON object (each line of an NDJSON file is one row)"), false;
    std::vector<ir::Literal> key;
    for (const ir::Column* column : reader.columns()) {
      auto it = row.find(column->name);
      if (it == row.end())
        return reader.fail(line, "the row has no value for key column " + column->name), false;
      Spelled value;
      value.null = it->is_null();
      if (it->is_number_integer() || it->is_number_unsigned()) {
        value.number = true;
        value.text = it->dump();
      } else if (it->is_string()) {
        value.text = it->get<std::string>();
      } else if (!value.null) {
        return reader.fail(line, "key column " + column->name + " holds " +
                                     std::string(it->type_name()) + ", not a key value"),
               false;
      }
      auto literal = reader.literal(*column, value, line);
      if (!literal) return false;
      key.push_back(std::move(*literal));
    }
    if (!reader.add(std::move(key), line, out)) return false;
  }
  return true;
}

struct CsvField {
  std::string text;
  bool quoted = false;
};

// The next record of `content` from `pos` (RFC 4180: quoted fields may hold commas, doubled
// quotes and line ends); false at the end. `line` counts the lines consumed.
bool csv_record(const std::string& content, std::size_t& pos, int& line,
                std::vector<CsvField>& fields, std::string& problem) {
  fields.clear();
  if (pos >= content.size()) return false;
  ++line;
  fields.emplace_back();
  bool in_quotes = false, after_quote = false;
  while (pos < content.size()) {
    char c = content[pos++];
    CsvField& field = fields.back();
    if (in_quotes) {
      if (c == '"') {
        if (pos < content.size() && content[pos] == '"') {
          field.text += '"';
          ++pos;
        } else {
          in_quotes = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        field.text += c;
      }
      continue;
    }
    if (c == ',') {
      fields.emplace_back();
      after_quote = false;
    } else if (c == '\n') {
      break;
    } else if (c == '\r' && pos < content.size() && content[pos] == '\n') {
      continue;
    } else if (after_quote) {
      problem = "text after a closing quote";
      return true;
    } else if (c == '"' && field.text.empty() && !field.quoted) {
      field.quoted = in_quotes = true;
    } else if (c == '"') {
      problem = "a quote inside an unquoted field";
      return true;
    } else {
      field.text += c;
    }
  }
  if (in_quotes) problem = "a quoted field is not closed";
  return true;
}

bool csv_keys(const std::string& content, KeyReader& reader,
              std::vector<std::vector<ir::Literal>>& out) {
  std::size_t pos = 0;
  int line = 0;
  std::vector<CsvField> fields;
  std::string problem;
  if (!csv_record(content, pos, line, fields, problem))
    return reader.fail(1, "the CSV file is empty: it needs a header line naming the columns"),
           false;
  if (!problem.empty()) return reader.fail(line, problem), false;
  std::vector<std::size_t> index;
  for (const ir::Column* column : reader.columns()) {
    std::size_t i = 0;
    while (i < fields.size() && fields[i].text != column->name) ++i;
    if (i == fields.size())
      return reader.fail(1, "the header names no key column " + column->name), false;
    index.push_back(i);
  }
  const std::size_t width = fields.size();
  while (true) {
    int first_line = line + 1;
    if (!csv_record(content, pos, line, fields, problem)) break;
    if (!problem.empty()) return reader.fail(first_line, problem), false;
    if (fields.size() == 1 && fields[0].text.empty() && !fields[0].quoted) continue;  // blank
    if (fields.size() != width)
      return reader.fail(first_line, "the record has " + std::to_string(fields.size()) +
                                         " fields, the header " + std::to_string(width)),
             false;
    std::vector<ir::Literal> key;
    for (std::size_t k = 0; k < index.size(); ++k) {
      const CsvField& field = fields[index[k]];
      Spelled value;
      value.null = field.text.empty() && !field.quoted;
      value.text = field.text;
      auto literal = reader.literal(*reader.columns()[k], value, first_line);
      if (!literal) return false;
      key.push_back(std::move(*literal));
    }
    if (!reader.add(std::move(key), first_line, out)) return false;
  }
  return true;
}

}  // namespace

std::vector<std::vector<ir::Literal>> file_keys(const ir::Load& load,
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
  KeyReader reader(key_columns, load.path.empty() ? load.file.text : load.path, diagnostics);
  bool ok = ends_with(load.file.text, ".csv") ? csv_keys(*load.content, reader, out)
                                              : ndjson_keys(*load.content, reader, out);
  if (!ok) out.clear();
  return out;
}

}  // namespace migpkg
