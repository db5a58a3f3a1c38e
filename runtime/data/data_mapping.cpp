#include "runtime/data/data_mapping.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "compiler/schema/type_names.hpp"
#include "compiler/transform/function_catalog.hpp"
#include "compiler/util/word_list.hpp"
#include "runtime/data/value_functions.hpp"

namespace migpkg::data {
namespace {

using json = nlohmann::json;

// Mapping files are small and written by hand: 1 MB is plenty.
constexpr std::size_t kMaxMappingBytes = 1 << 20;

struct Reader {
  std::string path;
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw std::runtime_error(path + ": " + (pointer.empty() ? "/" : pointer) + ": " + message);
  }
  void only(const json& object, const std::string& pointer,
            const std::set<std::string>& members) const {
    if (!object.is_object()) fail(pointer, "expected an object");
    for (auto it = object.begin(); it != object.end(); ++it)
      if (!members.count(it.key()))
        fail(pointer + "/" + it.key(),
             "unknown member (expected " +
                 or_list(std::vector<std::string>(members.begin(), members.end())) + ")");
  }
  std::string name(const json& object, const std::string& pointer, const char* member,
                   bool required) const {
    auto it = object.find(member);
    if (it == object.end()) {
      if (required) fail(pointer, std::string("missing \"") + member + "\"");
      return "";
    }
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
      fail(pointer + "/" + member, "expected a non-empty name");
    return it->get<std::string>();
  }
};

ir::Literal literal(const Reader& reader, const json& value, const std::string& pointer) {
  ir::Literal out;
  if (value.is_null()) return out;
  if (value.is_boolean()) {
    out.kind = ir::Literal::Kind::Bool;
    out.boolean = value.get<bool>();
  } else if (value.is_number_integer()) {
    out.kind = ir::Literal::Kind::Integer;
    out.integer = value.is_number_unsigned() ? static_cast<std::int64_t>(value.get<std::uint64_t>())
                                             : value.get<std::int64_t>();
    out.text = value.dump();
  } else if (value.is_number()) {
    out.kind = ir::Literal::Kind::Real;
    out.real = value.get<double>();
    out.text = value.dump();
  } else if (value.is_string()) {
    out.kind = ir::Literal::Kind::String;
    out.text = value.get<std::string>();
  } else {
    reader.fail(pointer, "expected a string, number, boolean or null");
  }
  return out;
}

void read_transform(const Reader& reader, const json& transform, const std::string& pointer,
                    ColumnMapping& column) {
  reader.only(transform, pointer, {"type", "definition", "parameters"});
  std::string type = reader.name(transform, pointer, "type", true);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto definition = transform.find("definition");
  if (definition == transform.end()) reader.fail(pointer, "missing \"definition\"");
  if (type == "function") {
    if (!definition->is_string()) reader.fail(pointer + "/definition", "expected a function name");
    column.function = definition->get<std::string>();
    const FunctionSignature* signature = find_function(column.function);
    if (!signature)
      reader.fail(pointer + "/definition", "unknown function '" + column.function + "' (known: " +
                                               or_list(builtin_function_names()) + ")");
    if (auto parameters = transform.find("parameters"); parameters != transform.end()) {
      if (!parameters->is_array()) reader.fail(pointer + "/parameters", "expected an array");
      for (std::size_t i = 0; i < parameters->size(); ++i)
        column.parameters.push_back(
            literal(reader, (*parameters)[i], pointer + "/parameters/" + std::to_string(i)));
    }
    std::string problem = check_parameters(*signature, column.parameters);
    if (!problem.empty()) reader.fail(pointer + "/parameters", problem);
  } else if (type == "lookup") {
    // Only the inline form: a lookup in a table needs a database the rows are not in yet.
    if (!definition->is_object())
      reader.fail(pointer + "/definition",
                  "a data mapping's lookup is an object of value -> replacement (a lookup in a "
                  "table runs only in a transform step)");
    std::map<std::string, Value> entries;
    for (auto it = definition->begin(); it != definition->end(); ++it)
      entries[it.key()] =
          literal_value(literal(reader, it.value(), pointer + "/definition/" + it.key()));
    column.lookup = std::move(entries);
  } else {
    reader.fail(pointer + "/type", "a data mapping takes \"function\" or \"lookup\" (\"" + type +
                                       "\" is SQL, which runs only in a transform step)");
  }
}

}  // namespace

DataMapping DataMapping::read(const std::string& path) {
  Reader reader{path};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read the mapping file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.size() > kMaxMappingBytes) reader.fail("", "larger than 1 MB");
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) reader.fail("", "not valid JSON");
  reader.only(document, "", {"tables"});
  auto tables = document.find("tables");
  if (tables == document.end() || !tables->is_array()) reader.fail("/tables", "expected an array");
  DataMapping mapping;
  std::set<std::string> sources;
  for (std::size_t t = 0; t < tables->size(); ++t) {
    const json& table = (*tables)[t];
    std::string pointer = "/tables/" + std::to_string(t);
    reader.only(table, pointer, {"source", "target", "mapping"});
    TableMapping out;
    out.where = path + ": " + pointer;
    out.source = reader.name(table, pointer, "source", true);
    out.target = reader.name(table, pointer, "target", false);
    if (out.target.empty()) out.target = out.source;
    if (!sources.insert(out.source).second)
      reader.fail(pointer + "/source", "table " + out.source + " is mapped twice");
    std::set<std::string> columns;
    if (auto list = table.find("mapping"); list != table.end()) {
      if (!list->is_array()) reader.fail(pointer + "/mapping", "expected an array");
      for (std::size_t c = 0; c < list->size(); ++c) {
        const json& entry = (*list)[c];
        std::string at = pointer + "/mapping/" + std::to_string(c);
        reader.only(entry, at, {"source", "target", "drop", "transform", "defaultValue", "type"});
        ColumnMapping column;
        column.where = path + ": " + at;
        column.source = reader.name(entry, at, "source", true);
        bool drop = entry.value("drop", false);
        column.target = drop ? "" : reader.name(entry, at, "target", false);
        if (!drop && column.target.empty()) column.target = column.source;
        if (!columns.insert(column.source).second)
          reader.fail(at + "/source", "column " + column.source + " is mapped twice");
        if (auto transform = entry.find("transform"); transform != entry.end())
          read_transform(reader, *transform, at + "/transform", column);
        if (auto fallback = entry.find("defaultValue"); fallback != entry.end())
          column.default_value = literal(reader, *fallback, at + "/defaultValue");
        if (auto type = entry.find("type"); type != entry.end()) {
          if (drop) reader.fail(at + "/type", "a dropped column has no type");
          if (!type->is_string()) reader.fail(at + "/type", "expected a portable type name");
          schema::TypeNameError error;
          column.type = schema::parse_type_name(type->get<std::string>(), &error);
          if (!column.type)
            reader.fail(at + "/type", "not a portable type: " + error.message +
                                          (error.hint.empty() ? "" : " (" + error.hint + ")"));
        }
        out.columns.push_back(std::move(column));
      }
    }
    mapping.tables_.push_back(std::move(out));
  }
  return mapping;
}

const TableMapping* DataMapping::find(const std::string& source_table) const {
  for (const TableMapping& table : tables_)
    if (table.source == source_table) return &table;
  return nullptr;
}

std::string DataMapping::target_table(const std::string& source_table) const {
  const TableMapping* table = find(source_table);
  return table ? table->target : source_table;
}

RowProjection::RowProjection(const DataTable& source, const TableMapping* mapping)
    : source_(source) {
  std::map<std::string, const ColumnMapping*> by_source;
  if (mapping)
    for (const ColumnMapping& column : mapping->columns) {
      if (!source.find_column(column.source))
        throw std::runtime_error(column.where + ": table " + source.name + " has no column " +
                                 column.source);
      by_source[column.source] = &column;
    }
  std::set<std::string> targets;
  for (std::size_t i = 0; i < source.columns.size(); ++i) {
    auto it = by_source.find(source.columns[i].name);
    const ColumnMapping* column = it == by_source.end() ? nullptr : it->second;
    std::string target = column ? column->target : source.columns[i].name;
    if (target.empty()) continue;
    if (!targets.insert(target).second)
      throw std::runtime_error((column ? column->where : mapping->where) +
                               ": two columns of table " + source.name + " map to " + target);
    target_columns_.push_back(target);
    from_.push_back(i);
    mapping_.push_back(column);
  }
  for (const std::string& key : source.primary_key)
    for (std::size_t i = 0; i < source.columns.size(); ++i)
      if (source.columns[i].name == key) key_.push_back(i);
}

std::string RowProjection::target_of(const std::string& source_column) const {
  for (std::size_t i = 0; i < from_.size(); ++i)
    if (source_.columns[from_[i]].name == source_column) return target_columns_[i];
  return "";
}

std::string RowProjection::key_text(const Row& row) const {
  std::string out = "(";
  for (std::size_t k = 0; k < key_.size(); ++k) {
    const Value& value = row[key_[k]];
    out += (k ? ", " : "") + (value ? "'" + value->substr(0, 60) + "'" : std::string("NULL"));
  }
  return out + ")";
}

bool RowProjection::is_identity() const {
  if (from_.size() != source_.columns.size()) return false;
  for (std::size_t i = 0; i < from_.size(); ++i)
    if (from_[i] != i || mapping_[i]) return false;
  return true;
}

Row RowProjection::apply(const Row& source_row) const {
  Row out;
  out.reserve(from_.size());
  for (std::size_t i = 0; i < from_.size(); ++i) {
    const Value& value = source_row[from_[i]];
    const ColumnMapping* column = mapping_[i];
    if (!column) {
      out.push_back(value);
      continue;
    }
    Value result = value;
    try {
      if (!column->function.empty())
        result = apply_function(column->function, column->parameters, value);
    } catch (const std::runtime_error& error) {
      throw ValueError(source_.name, key_text(source_row), column->source,
                       value ? value->substr(0, 60) : "NULL", error.what());
    }
    if (column->lookup) {
      auto hit = value ? column->lookup->find(*value) : column->lookup->end();
      result = hit == column->lookup->end() ? std::nullopt : hit->second;
    }
    if (!result && column->default_value) result = literal_value(*column->default_value);
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace migpkg::data
