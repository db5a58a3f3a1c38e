// Data sets on disk (runtime/data/dataset.hpp): the edge-value table written in every format,
// compression and form and read back value for value; dataset.json against its schema;
// reproducible .migdata; nothing left behind by a writer that does not finish; and hostile data
// sets refused with what is wrong before any row is handed out.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/schema/type_names.hpp"
#include "compiler/util/sha256.hpp"
#include "json_schema_check.hpp"
#include "package_test_support.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/dataset_manifest.hpp"
#include "runtime/data/portable_values.hpp"
#include "test_support.hpp"

using namespace migpkg::data;
using namespace migpkg::test;
using json = nlohmann::json;

namespace {

using migpkg::data::portable::from_hex;

struct Rows {
  DataTable table;
  std::vector<Row> rows;
};

// tests/data-format/edge-rows.json as a table and its rows.
Rows edge_rows() {
  json doc = json::parse(read_file(source_dir() + "/tests/data-format/edge-rows.json"));
  Rows out;
  out.table.name = doc["table"];
  for (const auto& c : doc["columns"]) {
    const std::string type_name = c["type"];
    INFO(type_name);
    auto type = parse_portable_type(type_name, nullptr);
    REQUIRE(type);
    out.table.columns.push_back({c["name"], *type, c["nullable"], c["generated"]});
  }
  out.table.primary_key = doc["primaryKey"].get<std::vector<std::string>>();
  for (const auto& r : doc["rows"]) {
    Row row;
    for (const auto& v : r) {
      if (v.is_null()) {
        row.emplace_back();
      } else if (v.is_string()) {
        row.emplace_back(v.get<std::string>());
      } else if (v.contains("hex")) {
        row.emplace_back(from_hex(v["hex"].get<std::string>()));
      } else {
        std::string piece = v.contains("repeat") ? v["repeat"].get<std::string>()
                                                 : from_hex(v["hexrepeat"].get<std::string>());
        std::string text;
        for (int i = 0; i < v["times"].get<int>(); ++i) text += piece;
        row.emplace_back(text);
      }
    }
    REQUIRE(row.size() == out.table.columns.size());
    out.rows.push_back(row);
  }
  return out;
}

DataTable small_table() {
  DataTable t;
  t.name = "people";
  t.columns.push_back({"id", *migpkg::schema::parse_type_name("int64"), false, true});
  t.columns.push_back({"name", *migpkg::schema::parse_type_name("text"), true, false});
  t.primary_key = {"id"};
  return t;
}

std::vector<Row> small_rows(int n) {
  std::vector<Row> rows;
  for (int i = 1; i <= n; ++i) rows.push_back({std::to_string(i), "name " + std::to_string(i)});
  return rows;
}

// Writes `tables` (with their rows) as a data set at `path`.
void write_dataset(const std::string& path, const std::vector<Rows>& tables, FileFormat format,
                   Compression compression, std::size_t batch = 2) {
  auto writer = DatasetWriter::create(path, format, compression);
  for (const auto& t : tables) {
    writer->begin_table(t.table);
    for (std::size_t i = 0; i < t.rows.size(); i += batch)
      writer->write_rows(std::vector<Row>(t.rows.begin() + i,
                                          t.rows.begin() + std::min(t.rows.size(), i + batch)));
    DatasetTable done = writer->end_table();
    CHECK(done.rows == t.rows.size());
  }
  DatasetManifest manifest;
  manifest.source_engine = "sqlite";
  manifest.plugins = {{"acme.crm", "1.2.0"}};
  writer->finish(manifest);
}

std::vector<Row> read_all(DatasetReader& reader, const std::string& table, std::uint64_t skip = 0,
                          std::size_t batch = 1000, std::size_t* batches = nullptr) {
  std::vector<Row> out;
  reader.read_rows(table, skip, batch, [&](std::vector<Row> rows) {
    CHECK(rows.size() <= batch);
    if (batches) ++*batches;
    for (auto& r : rows) out.push_back(std::move(r));
  });
  return out;
}

void check_manifest_schema(const std::string& text) {
  static const json schema = load_schema("dataset.schema.json");
  auto violations = schema_violations(schema, json::parse(text));
  for (const auto& v : violations) FAIL_CHECK(v);
}

std::string manifest_text(const std::string& dir) {
  return read_file(dir + "/dataset.json");
}

std::string sha256_of_file(const std::string& path) {
  return migpkg::sha256_hex(read_file(path));
}

// Reopens `dir` after `edit` changed its dataset.json (as JSON) and expects `error` on open.
void expect_open_error(const std::string& dir, const std::function<void(json&)>& edit,
                       const std::string& error) {
  json m = json::parse(manifest_text(dir));
  edit(m);
  std::string copy = make_temp_dir() + "/set";
  REQUIRE(shell("cp -r " + shell_quoted(dir) + " " + shell_quoted(copy)) == 0);
  write_file(copy + "/dataset.json", m.dump(2));
  INFO(error);
  CHECK_THROWS_WITH(DatasetReader::open(copy), Catch::Contains(error));
}

}  // namespace

TEST_CASE("the edge-value table survives every format, compression and form value for value",
          "[data][dataset]") {
  const Rows edge = edge_rows();
  const Rows small{small_table(), small_rows(5)};
  for (FileFormat format : {FileFormat::Ndjson, FileFormat::Csv})
    for (Compression compression : {Compression::None, Compression::Zstd})
      for (const char* form : {"dir", "set.migdata"}) {
        INFO(format_name(format) << " " << compression_name(compression) << " " << form);
        std::string path = make_temp_dir() + "/" + form;
        write_dataset(path, {edge, small}, format, compression);
        auto reader = DatasetReader::open(path);
        const DatasetManifest& m = reader->manifest();
        CHECK(m.source_engine == "sqlite");
        REQUIRE(m.plugins.size() == 1);
        CHECK(m.plugins[0].id == "acme.crm");
        CHECK(m.plugins[0].version == "1.2.0");
        REQUIRE(m.tables.size() == 2);
        CHECK(m.tables[0].file == "edge_values" + table_file_extension(format, compression));
        CHECK(m.tables[0].rows == edge.rows.size());
        CHECK(m.tables[0].table.primary_key == std::vector<std::string>{"id"});
        for (std::size_t c = 0; c < edge.table.columns.size(); ++c) {
          CHECK(m.tables[0].table.columns[c].name == edge.table.columns[c].name);
          CHECK(portable_type_text(m.tables[0].table.columns[c].type) ==
                portable_type_text(edge.table.columns[c].type));
          CHECK(m.tables[0].table.columns[c].generated == edge.table.columns[c].generated);
          CHECK(m.tables[0].table.columns[c].nullable == edge.table.columns[c].nullable);
        }
        std::vector<Row> back = read_all(*reader, "edge_values");
        REQUIRE(back.size() == edge.rows.size());
        for (std::size_t r = 0; r < back.size(); ++r)
          for (std::size_t c = 0; c < back[r].size(); ++c) {
            INFO("row " << r << " column " << edge.table.columns[c].name);
            CHECK(back[r][c] == edge.rows[r][c]);
          }
        CHECK(read_all(*reader, "people") == small.rows);
        // Resume: skip rows, batches of at most batch_rows.
        std::size_t batches = 0;
        CHECK(read_all(*reader, "people", 2, 2, &batches) ==
              std::vector<Row>(small.rows.begin() + 2, small.rows.end()));
        CHECK(batches == 2);
        CHECK_THROWS_WITH(read_all(*reader, "nobody"), Catch::Contains("has no table nobody"));
      }
}

TEST_CASE("dataset.json matches its schema and names what it holds", "[data][dataset][schemas]") {
  std::string dir = make_temp_dir() + "/set";
  write_dataset(dir, {edge_rows(), {small_table(), small_rows(3)}}, FileFormat::Ndjson,
                Compression::Zstd);
  std::string text = manifest_text(dir);
  check_manifest_schema(text);
  json m = json::parse(text);
  CHECK(m["formatVersion"] == 1);
  CHECK(m["tables"][1]["name"] == "people");
  CHECK(m["tables"][1]["rows"] == 3);
  CHECK(m["tables"][1]["format"] == "ndjson");
  CHECK(m["tables"][1]["compression"] == "zstd");
  CHECK(m["tables"][1]["bytes"] == read_file(dir + "/people.ndjson.zst").size());
  CHECK(m["tables"][1]["sha256"] == sha256_of_file(dir + "/people.ndjson.zst"));
  CHECK(m["tables"][1]["columns"][0] ==
        json::parse(R"({"name":"id","type":"int64","nullable":false,"generated":true})"));
  // The exact file: one object per row, keys the columns.
  std::string plain = make_temp_dir() + "/plain";
  write_dataset(plain, {{small_table(), small_rows(2)}}, FileFormat::Ndjson, Compression::None);
  CHECK(read_file(plain + "/people.ndjson") ==
        "{\"id\":1,\"name\":\"name 1\"}\n{\"id\":2,\"name\":\"name 2\"}\n");
  std::string csv = make_temp_dir() + "/csv";
  write_dataset(csv, {{small_table(), small_rows(2)}}, FileFormat::Csv, Compression::None);
  CHECK(read_file(csv + "/people.csv") == "id,name\r\n1,name 1\r\n2,name 2\r\n");
}

TEST_CASE("a .migdata is the same bytes every time, and file names are plain and unique",
          "[data][dataset]") {
  std::string a = make_temp_dir() + "/a.migdata", b = make_temp_dir() + "/b.migdata";
  DataTable odd = small_table();
  odd.name = "../we ird/Ünï";
  DataTable upper = small_table();
  upper.name = "People";
  std::vector<Rows> tables{
      {small_table(), small_rows(3)}, {upper, small_rows(1)}, {odd, small_rows(2)}};
  write_dataset(a, tables, FileFormat::Ndjson, Compression::Zstd);
  write_dataset(b, tables, FileFormat::Ndjson, Compression::Zstd);
  CHECK(read_file(a) == read_file(b));
  auto reader = DatasetReader::open(a);
  CHECK(reader->manifest().tables[0].file == "people.ndjson.zst");
  CHECK(reader->manifest().tables[1].file == "People-2.ndjson.zst");
  CHECK(reader->manifest().tables[2].file == "___we_ird___n__.ndjson.zst");  // 2 bytes each: Ü, ï
  CHECK(read_all(*reader, "../we ird/Ünï") == small_rows(2));
}

TEST_CASE("a data set appears only when finished, and existing output is never overwritten",
          "[data][dataset]") {
  for (const char* name : {"set", "set.migdata"}) {
    INFO(name);
    std::string parent = make_temp_dir();
    std::string path = parent + "/" + name;
    {
      auto writer = DatasetWriter::create(path, FileFormat::Ndjson, Compression::None);
      writer->begin_table(small_table());
      writer->write_rows(small_rows(10));
      writer->end_table();
      // Dropped without finish(): an export that failed.
    }
    CHECK_FALSE(path_exists(path));
    CHECK(list_dir(parent).empty());  // no staging directory left either
    write_dataset(path, {{small_table(), small_rows(1)}}, FileFormat::Ndjson, Compression::None);
    CHECK_THROWS_WITH(DatasetWriter::create(path, FileFormat::Ndjson, Compression::None),
                      Catch::Contains(path) &&
                          Catch::Contains(std::string(name) == "set" ? "is not an empty directory"
                                                                     : "exists already"));
    CHECK(list_dir(parent) == std::vector<std::string>{name});
  }
  // The directory gets the mode mkdir would give it, not mkdtemp's 0700.
  std::string made = make_temp_dir() + "/made";
  write_dataset(made, {{small_table(), small_rows(1)}}, FileFormat::Csv, Compression::None);
  mode_t mask = ::umask(0);
  ::umask(mask);
  struct stat st {};
  REQUIRE(::stat(made.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0777 & ~mask));
  // An empty directory is fine (mkdir OUT && export -o OUT).
  std::string empty = make_temp_dir();
  write_dataset(empty, {{small_table(), small_rows(1)}}, FileFormat::Csv, Compression::None);
  CHECK(path_exists(empty + "/dataset.json"));
}

TEST_CASE("hostile dataset.json is refused with the file and a JSON pointer", "[data][dataset]") {
  std::string dir = make_temp_dir() + "/set";
  write_dataset(dir, {{small_table(), small_rows(3)}}, FileFormat::Ndjson, Compression::None);
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["file"] = "../people.ndjson"; },
      "/tables/0/file: '../people.ndjson': a table file's name has no directory "
      "part");
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["file"] = "..ndjson"; }, "/tables/0/file");
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["file"] = "/etc/passwd"; }, "/tables/0/file");
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["file"] = "dataset.json"; },
      "/tables/0/file: 'dataset.json': it is the manifest's own name");
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["file"] = "people.csv"; },
      "/tables/0/file: a ndjson file must end in .ndjson");
  expect_open_error(
      dir, [](json& m) { m["formatVersion"] = 2; },
      "dataset.json: /formatVersion: format version 2 is not one this migpkg reads");
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["rows"] = -1; },
      "/tables/0/rows: must be a non-negative integer");
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["extra"] = 1; }, "/tables/0/extra: unknown member");
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["columns"][1]["type"] = "varchar"; },
      "/tables/0/columns/1/type: \"varchar\"");
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["primaryKey"] = {"nope"}; },
      "/tables/0/primaryKey/0: \"nope\" is not one of the columns");
  expect_open_error(
      dir, [](json& m) { m["tables"].push_back(m["tables"][0]); },
      "/tables/1/name: table people is listed twice");
  const std::string size = std::to_string(read_file(dir + "/people.ndjson").size());
  expect_open_error(
      dir, [](json& m) { m["tables"][0]["bytes"] = 1; },
      "people.ndjson: " + size + " bytes, but dataset.json says 1");
  expect_open_error(
      dir, [](json& m) { m["sourceEngine"] = "oracle9"; },
      "/sourceEngine: not an engine migpkg knows");
  std::string copy = make_temp_dir() + "/set";
  REQUIRE(shell("cp -r " + shell_quoted(dir) + " " + shell_quoted(copy)) == 0);
  write_file(copy + "/dataset.json", "{\"formatVersion\": 1,");
  CHECK_THROWS_WITH(DatasetReader::open(copy), Catch::EndsWith("dataset.json: /: not valid JSON"));
  write_file(copy + "/dataset.json", std::string(17u << 20, ' '));
  CHECK_THROWS_WITH(DatasetReader::open(copy), Catch::Contains("larger than 16777216 bytes"));
  REQUIRE(::unlink((copy + "/dataset.json").c_str()) == 0);
  CHECK_THROWS_WITH(DatasetReader::open(copy), Catch::Contains("dataset.json: No such file"));
}

TEST_CASE("a changed, truncated or substituted table file gives no row", "[data][dataset]") {
  std::string dir = make_temp_dir() + "/set";
  write_dataset(dir, {{small_table(), small_rows(3)}}, FileFormat::Ndjson, Compression::None);
  const std::string file = dir + "/people.ndjson";
  const std::string original = read_file(file);
  auto rows_handed_out = [&](const std::string& error) {
    INFO(error);
    std::size_t got = 0;
    try {
      auto reader = DatasetReader::open(dir);
      reader->read_rows("people", 0, 1, [&](std::vector<Row> rows) { got += rows.size(); });
      FAIL("read without an error");
    } catch (const std::runtime_error& e) {
      CHECK_THAT(e.what(), Catch::Contains(error));
    }
    CHECK(got == 0);
  };
  std::string changed = original;
  changed[changed.find("name 2")] = 'N';  // same size, other bytes
  write_file(file, changed);
  rows_handed_out("people.ndjson: its SHA-256 differs from dataset.json's");
  write_file(file, original.substr(0, original.size() - 5));
  rows_handed_out("people.ndjson: " + std::to_string(original.size() - 5) +
                  " bytes, but dataset.json says " + std::to_string(original.size()));
  REQUIRE(::unlink(file.c_str()) == 0);
  REQUIRE(::symlink("/etc/hostname", file.c_str()) == 0);
  rows_handed_out("a symbolic link");
}

TEST_CASE("a table file that agrees with dataset.json but is malformed names file:line and column",
          "[data][dataset]") {
  auto with_file = [](FileFormat format, const std::string& content,
                      const std::function<void(json&)>& edit = nullptr) {
    std::string dir = make_temp_dir() + "/set";
    write_dataset(dir, {{small_table(), small_rows(3)}}, format, Compression::None);
    std::string name = std::string("people.") + format_name(format);
    write_file(dir + "/" + name, content);
    json m = json::parse(manifest_text(dir));
    m["tables"][0]["bytes"] = content.size();
    m["tables"][0]["sha256"] = migpkg::sha256_hex(content);
    if (edit) edit(m);
    write_file(dir + "/dataset.json", m.dump(2));
    return dir;
  };
  auto error = [](const std::string& dir) {
    try {
      auto reader = DatasetReader::open(dir);
      read_all(*reader, "people");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string dir =
      with_file(FileFormat::Ndjson, "{\"id\":1,\"name\":\"a\"}\n{\"id\":\"2\",\"name\":\"b\"}\n");
  CHECK_THAT(error(dir), Catch::EndsWith("people.ndjson:2: column \"id\": expected a number, not "
                                         "a string"));
  dir = with_file(FileFormat::Csv, "id,name\r\n1,a\r\n2,b,c\r\n");
  CHECK_THAT(error(dir), Catch::EndsWith("people.csv:3: 3 fields where the header has 2"));
  dir = with_file(FileFormat::Csv, "");
  CHECK_THAT(error(dir), Catch::EndsWith("people.csv:1: no header line"));
  dir = with_file(FileFormat::Ndjson, "{\"id\":1,\"name\":\"a\"}\n");
  CHECK_THAT(error(dir), Catch::EndsWith("people.ndjson: 1 rows, but dataset.json says 3"));
  dir = with_file(FileFormat::Ndjson, "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n",
                  [](json& m) { m["tables"][0]["rows"] = 2; });
  CHECK_THAT(error(dir), Catch::EndsWith("people.ndjson: the rows' content hash differs from "
                                         "dataset.json's"));
  dir = with_file(FileFormat::Ndjson,
                  "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n{}\n"
                  "{\"id\":4,\"name\":\"d\"}\n");
  CHECK_THAT(error(dir), Catch::EndsWith("people.ndjson:3: the row has no key \"id\""));
}

TEST_CASE("a zstd table file that is not zstd, or is cut short, is refused", "[data][dataset]") {
  std::string dir = make_temp_dir() + "/set";
  write_dataset(dir, {{small_table(), small_rows(3)}}, FileFormat::Ndjson, Compression::Zstd);
  const std::string file = dir + "/people.ndjson.zst";
  auto reread = [&](const std::string& content, const std::string& error) {
    write_file(file, content);
    json m = json::parse(manifest_text(dir));
    m["tables"][0]["bytes"] = content.size();
    m["tables"][0]["sha256"] = migpkg::sha256_hex(content);
    write_file(dir + "/dataset.json", m.dump(2));
    auto reader = DatasetReader::open(dir);
    CHECK_THROWS_WITH(read_all(*reader, "people"), Catch::Contains(error));
  };
  const std::string original = read_file(file);
  reread(original.substr(0, original.size() - 3), "the zstd stream is cut short");
  reread("{\"id\":1}\n", "not a valid zstd stream");
}

TEST_CASE("a hostile .migdata is refused: traversal, links, extra or missing members",
          "[data][dataset]") {
  std::string dir = make_temp_dir() + "/set";
  write_dataset(dir, {{small_table(), small_rows(3)}}, FileFormat::Ndjson, Compression::None);
  const std::string manifest = manifest_text(dir);
  const std::string table = read_file(dir + "/people.ndjson");
  auto refused = [](const std::vector<RawEntry>& entries, const std::string& error) {
    INFO(error);
    std::string path = make_temp_dir() + "/x.migdata";
    write_file(path, write_raw_archive(entries, false));
    try {
      auto reader = DatasetReader::open(path);
      read_all(*reader, "people");
      FAIL("opened and read");
    } catch (const std::runtime_error& e) {
      CHECK_THAT(e.what(), Catch::Contains(error));
    }
  };
  using Kind = RawEntry::Kind;
  refused({{"dataset.json", manifest}, {"../people.ndjson", table}}, "'..'");
  refused({{"dataset.json", manifest}, {"sub/people.ndjson", table}},
          "a data set's members have no directory part");
  refused({{"dataset.json", manifest}, {"people.ndjson", "", Kind::Symlink, "/etc/passwd"}},
          "is not a plain regular file");
  refused({{"dataset.json", manifest}}, "people's file people.ndjson is not in it");
  refused({{"dataset.json", manifest}, {"people.ndjson", table}, {"extra.ndjson", "x"}},
          "member extra.ndjson is not a file dataset.json lists");
  refused({{"people.ndjson", table}}, "no dataset.json in it");
  refused({{"dataset.json", manifest}, {"people.ndjson", table}, {"people.ndjson", table}},
          "is there twice");
  std::string changed = table;
  changed[changed.size() - 3] = 'x';
  refused({{"dataset.json", manifest}, {"people.ndjson", changed}}, "SHA-256 differs");
  std::string path = make_temp_dir() + "/cut.migdata";
  std::string whole =
      write_raw_archive({{"dataset.json", manifest}, {"people.ndjson", table}}, false);
  write_file(path, whole.substr(0, 1500));
  CHECK_THROWS(DatasetReader::open(path));
  write_file(path, "not a tar at all, just some text that goes on for a bit");
  CHECK_THROWS_WITH(DatasetReader::open(path), Catch::Contains("not a readable .migdata tar"));
}
