#include "runtime/data/dataset_manifest.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "compiler/ir/ir.hpp"
#include "compiler/schema/type_names.hpp"
#include "runtime/package/entry_name.hpp"

namespace migpkg::data {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

// Reads one manifest member by member, naming what is wrong by JSON pointer.
class Reader {
 public:
  explicit Reader(std::string label) : label_(std::move(label)) {}
  [[noreturn]] void fail(const std::string& pointer, const std::string& what) const {
    throw std::runtime_error(label_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + what);
  }
  const json& member(const json& object, const std::string& pointer, const char* name,
                     json::value_t type) const {
    auto found = object.find(name);
    if (found == object.end()) fail(pointer, std::string("missing member \"") + name + "\"");
    bool ok = found->type() == type ||
              (type == json::value_t::number_unsigned && found->is_number_unsigned());
    if (!ok) fail(pointer + "/" + name, std::string("must be ") + type_word(type));
    return *found;
  }
  std::string string(const json& object, const std::string& pointer, const char* name) const {
    const std::string& text =
        member(object, pointer, name, json::value_t::string).get_ref<const std::string&>();
    if (text.size() > kMaxNameBytes)
      fail(pointer + "/" + name, "longer than " + std::to_string(kMaxNameBytes) + " bytes");
    return text;
  }
  std::uint64_t count(const json& object, const std::string& pointer, const char* name) const {
    return member(object, pointer, name, json::value_t::number_unsigned).get<std::uint64_t>();
  }
  void only(const json& object, const std::string& pointer,
            std::initializer_list<const char*> names) const {
    for (auto it = object.begin(); it != object.end(); ++it) {
      bool known = false;
      for (const char* n : names) known = known || it.key() == n;
      if (!known) fail(pointer + "/" + it.key(), "unknown member");
    }
  }

 private:
  static const char* type_word(json::value_t type) {
    switch (type) {
      case json::value_t::string:
        return "a string";
      case json::value_t::number_unsigned:
        return "a non-negative integer";
      case json::value_t::boolean:
        return "true or false";
      case json::value_t::array:
        return "an array";
      case json::value_t::object:
        return "an object";
      default:
        return "something else";
    }
  }
  std::string label_;
};

bool lower_hex(const std::string& text, std::size_t digits) {
  if (text.size() != digits) return false;
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

const char* format_name(FileFormat format) {
  return format == FileFormat::Csv ? "csv" : "ndjson";
}
const char* compression_name(Compression compression) {
  return compression == Compression::Zstd ? "zstd" : "none";
}

std::string table_file_extension(FileFormat format, Compression compression) {
  return std::string(".") + format_name(format) + (compression == Compression::Zstd ? ".zst" : "");
}

std::string portable_type_text(const ir::ColumnType& type) {
  if (type.kind == ir::ColumnType::Kind::Decimal && !type.precision) return "decimal";
  return schema::type_name(type);
}

std::optional<ir::ColumnType> parse_portable_type(const std::string& text, std::string* error) {
  if (text == "decimal") {
    ir::ColumnType type;
    type.kind = ir::ColumnType::Kind::Decimal;
    return type;
  }
  schema::TypeNameError problem;
  auto type = schema::parse_type_name(text, &problem);
  if (!type && error) *error = problem.message;
  return type;
}

std::string table_file_name_problem(const std::string& name) {
  if (name == kManifestName) return "it is the manifest's own name";
  if (name.find('/') != std::string::npos) return "a table file's name has no directory part";
  if (!name.empty() && name[0] == '.') return "a table file's name does not start with '.'";
  return package::entry_name_problem(name);
}

std::string manifest_bytes(const DatasetManifest& manifest) {
  ojson j;
  j["formatVersion"] = manifest.format_version;
  j["sourceEngine"] = manifest.source_engine;
  auto plugins = ojson::array();
  for (const auto& p : manifest.plugins) plugins.push_back({{"id", p.id}, {"version", p.version}});
  j["plugins"] = plugins;
  auto tables = ojson::array();
  for (const auto& t : manifest.tables) {
    ojson table;
    table["name"] = t.table.name;
    auto columns = ojson::array();
    for (const auto& c : t.table.columns)
      columns.push_back({{"name", c.name},
                         {"type", portable_type_text(c.type)},
                         {"nullable", c.nullable},
                         {"generated", c.generated}});
    table["columns"] = columns;
    table["primaryKey"] = t.table.primary_key;
    table["rows"] = t.rows;
    table["contentHash"] = t.content_hash;
    table["file"] = t.file;
    table["format"] = format_name(t.format);
    table["compression"] = compression_name(t.compression);
    table["bytes"] = t.bytes;
    table["sha256"] = t.sha256;
    tables.push_back(table);
  }
  j["tables"] = tables;
  return j.dump(2) + "\n";
}

DatasetManifest parse_manifest(const std::string& text, const std::string& label) {
  Reader r(label);
  if (text.size() > kMaxManifestBytes)
    r.fail("", "larger than " + std::to_string(kMaxManifestBytes) + " bytes");
  json root = json::parse(text, nullptr, false);
  if (root.is_discarded()) r.fail("", "not valid JSON");
  if (!root.is_object()) r.fail("", "must be an object");
  r.only(root, "", {"formatVersion", "sourceEngine", "plugins", "tables"});
  DatasetManifest m;
  std::uint64_t version = r.count(root, "", "formatVersion");
  if (version != 1)
    r.fail("/formatVersion", "format version " + std::to_string(version) +
                                 " is not one this migpkg reads (it reads 1)");
  m.format_version = 1;
  m.source_engine = r.string(root, "", "sourceEngine");
  if (!ir::engine_from_name(m.source_engine)) r.fail("/sourceEngine", "not an engine migpkg knows");
  const json& plugins = r.member(root, "", "plugins", json::value_t::array);
  std::set<std::string> plugin_ids;
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    std::string at = "/plugins/" + std::to_string(i);
    if (!plugins[i].is_object()) r.fail(at, "must be an object");
    r.only(plugins[i], at, {"id", "version"});
    DatasetPlugin p{r.string(plugins[i], at, "id"), r.string(plugins[i], at, "version")};
    if (!plugin_ids.insert(p.id).second) r.fail(at + "/id", "plugin " + p.id + " is listed twice");
    m.plugins.push_back(p);
  }
  const json& tables = r.member(root, "", "tables", json::value_t::array);
  if (tables.size() > kMaxTables)
    r.fail("/tables", "more than " + std::to_string(kMaxTables) + " tables");
  std::set<std::string> names, files;
  for (std::size_t i = 0; i < tables.size(); ++i) {
    std::string at = "/tables/" + std::to_string(i);
    const json& t = tables[i];
    if (!t.is_object()) r.fail(at, "must be an object");
    r.only(t, at,
           {"name", "columns", "primaryKey", "rows", "contentHash", "file", "format", "compression",
            "bytes", "sha256"});
    DatasetTable table;
    table.table.name = r.string(t, at, "name");
    if (table.table.name.empty()) r.fail(at + "/name", "empty");
    if (!names.insert(table.table.name).second)
      r.fail(at + "/name", "table " + table.table.name + " is listed twice");
    const json& columns = r.member(t, at, "columns", json::value_t::array);
    if (columns.empty() || columns.size() > kMaxColumns)
      r.fail(at + "/columns", "must list 1 to " + std::to_string(kMaxColumns) + " columns");
    std::set<std::string> column_names;
    for (std::size_t k = 0; k < columns.size(); ++k) {
      std::string cat = at + "/columns/" + std::to_string(k);
      const json& c = columns[k];
      if (!c.is_object()) r.fail(cat, "must be an object");
      r.only(c, cat, {"name", "type", "nullable", "generated"});
      DataColumn column;
      column.name = r.string(c, cat, "name");
      if (column.name.empty()) r.fail(cat + "/name", "empty");
      if (!column_names.insert(column.name).second)
        r.fail(cat + "/name", "column " + column.name + " is listed twice");
      std::string type = r.string(c, cat, "type");
      std::string error;
      auto parsed = parse_portable_type(type, &error);
      if (!parsed) r.fail(cat + "/type", "\"" + type + "\": " + error);
      column.type = *parsed;
      column.nullable = r.member(c, cat, "nullable", json::value_t::boolean).get<bool>();
      column.generated = r.member(c, cat, "generated", json::value_t::boolean).get<bool>();
      table.table.columns.push_back(std::move(column));
    }
    const json& key = r.member(t, at, "primaryKey", json::value_t::array);
    for (std::size_t k = 0; k < key.size(); ++k) {
      std::string kat = at + "/primaryKey/" + std::to_string(k);
      if (!key[k].is_string()) r.fail(kat, "must be a string");
      const std::string& name = key[k].get_ref<const std::string&>();
      if (!table.table.find_column(name)) r.fail(kat, "\"" + name + "\" is not one of the columns");
      for (const auto& earlier : table.table.primary_key)
        if (earlier == name) r.fail(kat, "\"" + name + "\" is in the key twice");
      table.table.primary_key.push_back(name);
    }
    table.rows = r.count(t, at, "rows");
    table.content_hash = r.string(t, at, "contentHash");
    if (table.content_hash.rfind("sha256-sum:", 0) != 0 ||
        !lower_hex(table.content_hash.substr(11), 64))
      r.fail(at + "/contentHash", "must be \"sha256-sum:\" and 64 lower-case hex digits");
    table.file = r.string(t, at, "file");
    std::string problem = table_file_name_problem(table.file);
    if (!problem.empty())
      r.fail(at + "/file", package::printable_name(table.file) + ": " + problem);
    if (!files.insert(table.file).second) r.fail(at + "/file", "the file is listed twice");
    std::string format = r.string(t, at, "format");
    if (format != "ndjson" && format != "csv") r.fail(at + "/format", "must be ndjson or csv");
    table.format = format == "csv" ? FileFormat::Csv : FileFormat::Ndjson;
    std::string compression = r.string(t, at, "compression");
    if (compression != "none" && compression != "zstd")
      r.fail(at + "/compression", "must be none or zstd");
    table.compression = compression == "zstd" ? Compression::Zstd : Compression::None;
    std::string extension = table_file_extension(table.format, table.compression);
    if (table.file.size() <= extension.size() ||
        table.file.compare(table.file.size() - extension.size(), extension.size(), extension) != 0)
      r.fail(at + "/file",
             "a " + format + " file" +
                 (table.compression == Compression::Zstd ? " compressed with zstd" : "") +
                 " must end in " + extension);
    table.bytes = r.count(t, at, "bytes");
    table.sha256 = r.string(t, at, "sha256");
    if (!lower_hex(table.sha256, 64)) r.fail(at + "/sha256", "must be 64 lower-case hex digits");
    m.tables.push_back(std::move(table));
  }
  return m;
}

const DatasetTable* DatasetManifest::find_table(const std::string& name) const {
  for (const auto& t : tables)
    if (t.table.name == name) return &t;
  return nullptr;
}

}  // namespace migpkg::data
