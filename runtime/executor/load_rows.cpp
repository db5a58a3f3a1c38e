#include "runtime/executor/load_rows.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace migpkg::runtime {
namespace {

struct Field {
  std::string text;
  bool quoted = false;
};

// One CSV record (RFC 4180) from `pos`; false at the end. `problem` is set on a bad record.
bool csv_record(const std::string& content, std::size_t& pos, std::uint64_t& line,
                std::vector<Field>& fields, std::string& problem) {
  fields.clear();
  if (pos >= content.size()) return false;
  ++line;
  fields.emplace_back();
  bool in_quotes = false, after_quote = false;
  while (pos < content.size()) {
    char c = content[pos++];
    Field& field = fields.back();
    if (in_quotes) {
      if (c == '"' && pos < content.size() && content[pos] == '"') {
        field.text += '"';
        ++pos;
      } else if (c == '"') {
        in_quotes = false;
        after_quote = true;
      } else {
        if (c == '\n') ++line;
        field.text += c;
      }
    } else if (c == ',') {
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

// Compact JSON with object keys sorted (nlohmann's default object is a sorted map).
data::Value portable_of(const nlohmann::json& value) {
  if (value.is_null()) return std::nullopt;
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
  return value.dump();
}

}  // namespace

LoadRowReader::LoadRowReader(const std::string& content, bool csv, std::string label,
                             const data::DataTable& table)
    : content_(content), csv_(csv), label_(std::move(label)) {
  auto check_column = [&](const std::string& name, std::uint64_t line) {
    if (!table.find_column(name)) fail(line, "table " + table.name + " has no column " + name);
  };
  if (csv_) {
    std::vector<Field> fields;
    std::string problem;
    if (!csv_record(content_, pos_, line_, fields, problem))
      fail(1, "the CSV file is empty: it needs a header line naming the columns");
    if (!problem.empty()) fail(line_, problem);
    std::set<std::string> seen;
    for (auto& f : fields) {
      check_column(f.text, 1);
      if (!seen.insert(f.text).second) fail(1, "the header names column " + f.text + " twice");
      columns_.push_back(f.text);
    }
    return;
  }
  // NDJSON: the first row's keys are the file's columns; every other row must have the same.
  std::size_t pos = 0;
  std::uint64_t line = 0;
  while (pos < content_.size()) {
    std::size_t end = content_.find('\n', pos);
    if (end == std::string::npos) end = content_.size();
    std::string_view text(content_.data() + pos, end - pos);
    pos = end + 1;
    ++line;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) continue;
    nlohmann::json row = nlohmann::json::parse(text, nullptr, false);
    if (row.is_discarded() || !row.is_object())
      fail(line, "not a JSON object (each line of an NDJSON file is one row)");
    for (auto it = row.begin(); it != row.end(); ++it) {
      check_column(it.key(), line);
      columns_.push_back(it.key());
    }
    break;
  }
}

void LoadRowReader::fail(std::uint64_t line, const std::string& what) const {
  throw LoadFileError(label_ + ":" + std::to_string(line) + ": " + what);
}

bool LoadRowReader::next(data::Row& row, std::uint64_t& line) {
  return csv_ ? next_csv(row, line) : next_ndjson(row, line);
}

bool LoadRowReader::next_ndjson(data::Row& row, std::uint64_t& line) {
  while (pos_ < content_.size()) {
    std::size_t end = content_.find('\n', pos_);
    if (end == std::string::npos) end = content_.size();
    std::string_view text(content_.data() + pos_, end - pos_);
    pos_ = end + 1;
    line = ++line_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) continue;
    nlohmann::json object = nlohmann::json::parse(text, nullptr, false);
    if (object.is_discarded() || !object.is_object())
      fail(line, "not a JSON object (each line of an NDJSON file is one row)");
    if (object.size() != columns_.size())
      fail(line, "the row has " + std::to_string(object.size()) + " columns, the first row " +
                     std::to_string(columns_.size()) + " (every row names the same columns)");
    row.assign(columns_.size(), std::nullopt);
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      auto it = object.find(columns_[i]);
      if (it == object.end()) fail(line, "the row has no value for column " + columns_[i]);
      row[i] = portable_of(*it);
    }
    return true;
  }
  return false;
}

bool LoadRowReader::next_csv(data::Row& row, std::uint64_t& line) {
  std::vector<Field> fields;
  std::string problem;
  while (true) {
    std::uint64_t first = line_ + 1;
    if (!csv_record(content_, pos_, line_, fields, problem)) return false;
    if (!problem.empty()) fail(first, problem);
    if (fields.size() == 1 && fields[0].text.empty() && !fields[0].quoted) continue;  // blank
    if (fields.size() != columns_.size())
      fail(first, "the record has " + std::to_string(fields.size()) + " fields, the header " +
                      std::to_string(columns_.size()));
    row.assign(columns_.size(), std::nullopt);
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (!fields[i].text.empty() || fields[i].quoted) row[i] = std::move(fields[i].text);
    line = first;
    return true;
  }
}

}  // namespace migpkg::runtime
