// The engines' data methods (engine.hpp, "Data"): data_table, read_data, write_data and
// reset_identity on SQLite, PostgreSQL and MariaDB, with rows in tables the compiler created
// for each engine. The edge values are data (tests/data/edge-values.json); random rows of every
// type round-trip as a property.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <map>
#include <random>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/dialects/ddl_generator.hpp"
#include "compiler/schema/type_names.hpp"
#include "runtime/data/portable_values.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/edge_values.hpp"
#include "unit/test_support.hpp"

namespace {

using migpkg::data::DataTable;
using migpkg::data::OnConflict;
using migpkg::data::Row;
using migpkg::data::Value;
using migpkg::data::ValueError;
using migpkg::runtime::Connection;
using migpkg::runtime::DatabaseError;
using migpkg::runtime::Engine;
namespace portable = migpkg::data::portable;

struct ColumnSpec {
  std::string name;
  std::string type;  // a portable type name: "decimal(10,2)"
  bool nullable = true;
};

// Creates `table` as a migration's create-table change would, for the connection's engine.
void create_table(Connection& db, const std::string& dialect, const std::string& table,
                  const std::vector<ColumnSpec>& columns, const std::vector<std::string>& key,
                  const std::vector<std::string>& checks = {}) {
  migpkg::ir::SchemaChange create;
  create.kind = migpkg::ir::SchemaChange::Kind::CreateTable;
  create.table = table;
  for (const auto& spec : columns) {
    migpkg::ir::Column column;
    column.name = spec.name;
    auto type = migpkg::schema::parse_type_name(spec.type);
    REQUIRE(type);
    column.type = *type;
    column.nullable = spec.nullable;
    create.columns.push_back(column);
  }
  if (!key.empty()) {
    migpkg::ir::Constraint primary;
    primary.kind = migpkg::ir::Constraint::Kind::PrimaryKey;
    primary.name = table + "_pkey";
    primary.columns = key;
    create.constraints.push_back(primary);
  }
  int n = 0;
  for (const auto& check : checks) {
    migpkg::ir::Constraint constraint;
    constraint.kind = migpkg::ir::Constraint::Kind::Check;
    constraint.name = table + "_check_" + std::to_string(++n);
    constraint.check = check;
    create.constraints.push_back(constraint);
  }
  migpkg::schema::SchemaModel model;
  migpkg::CompiledChange compiled =
      migpkg::compile_change(create, model, *migpkg::find_dialect(dialect));
  INFO(compiled.error);
  REQUIRE(compiled.error.empty());
  for (const auto& sql : compiled.statements) db.execute(sql);
}

std::vector<Row> read_all(const Engine& engine, Connection& db, const DataTable& table,
                          std::size_t batch_rows = 1000,
                          std::optional<Row> after_key = std::nullopt,
                          const std::string& where = "") {
  Engine::DataRead read;
  read.table = &table;
  read.batch_rows = batch_rows;
  read.after_key = std::move(after_key);
  read.where = where;
  std::vector<Row> rows;
  engine.read_data(db, read, [&](std::vector<Row> batch) {
    CHECK(batch.size() <= batch_rows);
    for (auto& row : batch) rows.push_back(std::move(row));
  });
  return rows;
}

std::size_t write(const Engine& engine, Connection& db, const DataTable& table,
                  const std::vector<std::string>& columns, const std::vector<Row>& rows,
                  OnConflict mode = OnConflict::Fail) {
  db.begin();
  try {
    std::size_t written = engine.write_data(db, table, columns, rows, mode);
    db.commit();
    return written;
  } catch (...) {
    db.rollback();
    throw;
  }
}

const nlohmann::json* for_engine(const nlohmann::json& entry, const char* member,
                                 const std::string& dialect) {
  if (!entry.contains(member)) return nullptr;
  const nlohmann::json& map = entry[member];
  if (map.contains(dialect)) return &map[dialect];
  if (map.contains("*")) return &map["*"];
  return nullptr;
}

std::string shown(const Value& value) {
  return value ? "'" + portable::shortened(*value) + "'" : "NULL";
}

}  // namespace

TEST_CASE(
    "every portable type's edge values round-trip through write_data and read_data on "
    "every engine, or are refused by name",
    "[data]") {
  auto cases = nlohmann::json::parse(
      migpkg::test::read_file(migpkg::test::source_dir() + "/tests/data/edge-values.json"));
  migpkg::test::for_each_engine([&](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    int number = 0;
    for (const auto& type_case : cases["types"]) {
      const std::string type = type_case["type"];
      INFO("type " << type);
      const std::string table = "edge_" + std::to_string(++number);
      create_table(db, dialect, table, {{"id", "int64", false}, {"v", type}}, {"id"});
      auto described = engine.data_table(db, table);
      REQUIRE(described);
      CHECK(described->primary_key == std::vector<std::string>{"id"});
      REQUIRE(described->find_column("v"));
      const nlohmann::json* maps_to = for_engine(type_case, "maps_to", dialect);
      auto declared = migpkg::schema::parse_type_name(maps_to ? maps_to->get<std::string>() : type);
      REQUIRE(declared);
      CHECK(migpkg::schema::type_name(described->find_column("v")->type) ==
            migpkg::schema::type_name(*declared));

      std::vector<Row> accepted;
      std::vector<Value> expected;
      std::int64_t id = 0;
      for (const auto& entry : type_case["values"]) {
        ++id;
        Value in = migpkg::test::edge_input(entry);
        INFO("value " << shown(in));
        if (const nlohmann::json* refused = for_engine(entry, "refused", dialect)) {
          try {
            write(engine, db, *described, {"id", "v"}, {{std::to_string(id), in}});
            FAIL("accepted a value " << dialect << " cannot hold");
          } catch (const ValueError& error) {
            CHECK(error.table() == table);
            CHECK(error.key() == "(" + std::to_string(id) + ")");
            CHECK(error.column() == "v");
            CHECK_THAT(error.reason(), Catch::Contains(refused->get<std::string>()));
          }
          continue;
        }
        accepted.push_back({std::to_string(id), in});
        if (const nlohmann::json* out = for_engine(entry, "out_on", dialect))
          expected.push_back(migpkg::test::edge_text(*out));
        else if (entry.contains("out"))
          expected.push_back(migpkg::test::edge_text(entry["out"]));
        else
          expected.push_back(in);
      }
      CHECK(write(engine, db, *described, {"id", "v"}, accepted) == accepted.size());
      std::vector<Row> read = read_all(engine, db, *described, 2);
      REQUIRE(read.size() == accepted.size());
      for (std::size_t i = 0; i < read.size(); ++i) {
        INFO("row " << *accepted[i][0] << ": wrote " << shown(accepted[i][1]) << ", read "
                    << shown(read[i][1]));
        CHECK(read[i][0] == accepted[i][0]);
        CHECK(read[i][1] == expected[i]);
      }
      // What was read is portable as read: writing it again gives the same rows.
      db.execute("DELETE FROM " + std::string(dialect == "mysql" ? "`" : "\"") + table +
                 (dialect == "mysql" ? "`" : "\""));
      CHECK(write(engine, db, *described, {"id", "v"}, read) == read.size());
      CHECK(read_all(engine, db, *described, 1000) == read);
    }
  });
}

namespace {

const std::vector<std::string> kPeople = {"id", "name", "note", "score"};

std::vector<Row> people_before() {
  return {{"1", "a", "n1", "10"}, {"2", "b", "n2", "20"}, {"3", "c", "n3", "30"}};
}

// Rows 2 and 3 are already there, row 4 is new.
std::vector<Row> people_batch() {
  return {{"2", "B", "N2", "21"}, {"3", "C", "N3", "31"}, {"4", "D", "N4", "41"}};
}

DataTable people(Connection& db, const std::string& dialect, const std::string& name) {
  create_table(
      db, dialect, name,
      {{"id", "int64", false}, {"name", "string(20)", false}, {"note", "text"}, {"score", "int32"}},
      {"id"});
  auto table = migpkg::runtime::engine_of(db).data_table(db, name);
  REQUIRE(table);
  write(migpkg::runtime::engine_of(db), db, *table, kPeople, people_before());
  return *table;
}

}  // namespace

TEST_CASE("write_data's conflict modes, with rows already in the table, on every engine",
          "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    {
      INFO("fail: the first existing key stops the batch, and nothing of it stays");
      DataTable table = people(db, dialect, "conflict_fail");
      db.begin();
      CHECK_THROWS_WITH(engine.write_data(db, table, kPeople, people_batch(), OnConflict::Fail),
                        Catch::StartsWith("table conflict_fail, row (2): "));
      // The caller's transaction is still usable: the savepoint took the batch back.
      CHECK(engine.write_data(db, table, kPeople, {{"5", "e", std::nullopt, "50"}},
                              OnConflict::Fail) == 1);
      db.commit();
      auto expected = people_before();
      expected.push_back({"5", "e", std::nullopt, "50"});
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("skip: existing rows are kept, new ones inserted, only those counted");
      DataTable table = people(db, dialect, "conflict_skip");
      CHECK(write(engine, db, table, kPeople, people_batch(), OnConflict::Skip) == 1);
      auto expected = people_before();
      expected.push_back(people_batch()[2]);
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("overwrite: existing rows replaced");
      DataTable table = people(db, dialect, "conflict_overwrite");
      CHECK(write(engine, db, table, kPeople, people_batch(), OnConflict::Overwrite) == 3);
      std::vector<Row> expected = {people_before()[0]};
      for (const auto& row : people_batch()) expected.push_back(row);
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("overwrite with some columns: the others take their defaults (NULL here)");
      DataTable table = people(db, dialect, "conflict_overwrite_some");
      CHECK(write(engine, db, table, {"id", "name"}, {{"2", "B"}, {"4", "D"}},
                  OnConflict::Overwrite) == 2);
      std::vector<Row> expected = {people_before()[0],
                                   {"2", "B", std::nullopt, std::nullopt},
                                   people_before()[2],
                                   {"4", "D", std::nullopt, std::nullopt}};
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("merge: only the given columns are updated");
      DataTable table = people(db, dialect, "conflict_merge");
      CHECK(write(engine, db, table, {"id", "name"}, {{"2", "B"}, {"4", "D"}}, OnConflict::Merge) ==
            2);
      std::vector<Row> expected = {people_before()[0],
                                   {"2", "B", "n2", "20"},
                                   people_before()[2],
                                   {"4", "D", std::nullopt, std::nullopt}};
      CHECK(read_all(engine, db, table) == expected);
    }
    {
      INFO("a table without a primary key loads only with fail");
      create_table(db, dialect, "no_key", {{"a", "int32"}}, {});
      auto table = engine.data_table(db, "no_key");
      REQUIRE(table);
      CHECK(table->primary_key.empty());
      CHECK_THROWS_WITH(write(engine, db, *table, {"a"}, {{"1"}}, OnConflict::Skip),
                        Catch::Contains("has no primary key"));
      CHECK(write(engine, db, *table, {"a"}, {{"2"}, {"1"}, {"2"}}) == 3);
      CHECK(read_all(engine, db, *table) == std::vector<Row>{{"1"}, {"2"}, {"2"}});
    }
  });
}

TEST_CASE("a row the database refuses is named, and nothing of its batch stays", "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "scored", {{"id", "int64", false}, {"score", "int32", false}}, {"id"},
                 {"score > 0"});
    auto table = engine.data_table(db, "scored");
    REQUIRE(table);
    // Enough rows for several statements on every engine (SQLite puts 256 in one).
    std::vector<Row> rows;
    for (int i = 1; i <= 700; ++i)
      rows.push_back({std::to_string(i), i == 613 ? "-1" : std::to_string(i)});
    db.begin();
    CHECK_THROWS_WITH(engine.write_data(db, *table, {"id", "score"}, rows, OnConflict::Fail),
                      Catch::StartsWith("table scored, row (613): "));
    CHECK(read_all(engine, db, *table).empty());
    db.rollback();

    INFO("a value that does not fit is refused before anything is sent");
    db.begin();
    try {
      engine.write_data(db, *table, {"id", "score"}, {{"1", "5"}, {"2", "5 apples"}},
                        OnConflict::Fail);
      FAIL("an integer column took '5 apples'");
    } catch (const ValueError& error) {
      CHECK(std::string(error.what()) ==
            "table scored, row (2), column score, value 5 apples: not an integer");
    }
    try {
      engine.write_data(db, *table, {"id", "score"}, {{"1", std::nullopt}}, OnConflict::Fail);
      FAIL("NULL went into a NOT NULL column");
    } catch (const ValueError& error) {
      CHECK(error.key() == "(1)");
      CHECK(error.column() == "score");
      CHECK(error.reason() == "NULL in a NOT NULL column");
    }
    CHECK(read_all(engine, db, *table).empty());
    db.rollback();
  });
}

TEST_CASE("read_data resumes after a key: exactly the rows after it, in key order, with a where",
          "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "pairs",
                 {{"a", "int32", false}, {"b", "string(10)", false}, {"v", "text"}}, {"a", "b"});
    auto table = engine.data_table(db, "pairs");
    REQUIRE(table);
    CHECK(table->primary_key == std::vector<std::string>{"a", "b"});
    std::vector<Row> rows;
    for (int a = -2; a <= 3; ++a)
      for (const char* b : {"b", "a", "ż", "c d", "10", "9"})
        rows.push_back({std::to_string(a), std::string(b), "v" + std::to_string(a) + b});
    write(engine, db, *table, {"a", "b", "v"}, rows);
    std::vector<Row> all = read_all(engine, db, *table, 4);
    REQUIRE(all.size() == rows.size());
    for (std::size_t k = 0; k < all.size(); ++k) {
      INFO("after row " << k);
      Row key = {all[k][0], all[k][1]};
      std::vector<Row> rest = read_all(engine, db, *table, 5, key);
      CHECK(rest == std::vector<Row>(all.begin() + static_cast<std::ptrdiff_t>(k) + 1, all.end()));
    }
    // With a condition: the rows after the key that meet it.
    std::vector<Row> filtered = read_all(engine, db, *table, 3, Row{"0", all[15][1]}, "a <> 1");
    std::vector<Row> expected;
    for (std::size_t k = 16; k < all.size(); ++k)
      if (*all[k][0] != "1") expected.push_back(all[k]);
    REQUIRE(*all[15][0] == "0");
    CHECK(filtered == expected);
  });
}

TEST_CASE(
    "reset_identity moves the counter past the loaded keys, so an insert without a key "
    "succeeds",
    "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "counted", {{"id", "bigserial", false}, {"name", "text"}}, {"id"});
    auto table = engine.data_table(db, "counted");
    REQUIRE(table);
    REQUIRE(table->find_column("id"));
    CHECK(table->find_column("id")->generated);
    CHECK(table->find_column("id")->type.kind == migpkg::ir::ColumnType::Kind::BigSerial);
    write(engine, db, *table, {"id", "name"}, {{"1", "a"}, {"2", "b"}, {"50", "c"}});
    engine.reset_identity(db, *table);
    db.execute("INSERT INTO counted (name) VALUES ('next')");
    auto next = db.query("SELECT id FROM counted WHERE name = 'next'");
    REQUIRE(next.rows.size() == 1);
    CHECK(std::stoll(*next.rows[0][0]) > 50);
    // Again, with the counter already past the keys: it is not moved back.
    engine.reset_identity(db, *table);
    db.execute("INSERT INTO counted (name) VALUES ('after')");
    auto after = db.query("SELECT id FROM counted WHERE name = 'after'");
    CHECK(std::stoll(*after.rows.at(0)[0]) > std::stoll(*next.rows[0][0]));
  });
}

TEST_CASE(
    "reset_identity with keys at the ends of the range: negative keys only, and the largest "
    "64-bit key, leave the counter where it can be",
    "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "negative", {{"id", "bigserial", false}, {"name", "text"}}, {"id"});
    auto negative = engine.data_table(db, "negative");
    REQUIRE(negative);
    write(engine, db, *negative, {"id", "name"}, {{"-5", "a"}, {"-1", "b"}});
    CHECK_NOTHROW(engine.reset_identity(db, *negative));
    db.execute("INSERT INTO negative (name) VALUES ('next')");
    CHECK(std::stoll(*db.query("SELECT id FROM negative WHERE name = 'next'").rows.at(0)[0]) > 0);

    // No key can follow 2^63-1: the counter is not moved (there is nowhere to move it), and the
    // rows loaded stay as they are.
    create_table(db, dialect, "at_max", {{"id", "bigserial", false}, {"name", "text"}}, {"id"});
    auto full = engine.data_table(db, "at_max");
    REQUIRE(full);
    write(engine, db, *full, {"id", "name"}, {{"9223372036854775807", "last"}});
    CHECK_NOTHROW(engine.reset_identity(db, *full));
    CHECK(db.query("SELECT name FROM at_max WHERE id = 9223372036854775807").rows.size() == 1);
  });
}

namespace {

// Random values of one portable type, in portable form, that every engine holds (decimals of at
// most 15 digits for SQLite's NUMERIC, no NaN or -0, JSON in canonical form).
class ValueGenerator {
 public:
  explicit ValueGenerator(unsigned seed) : random_(seed) {}

  Value operator()(const std::string& type) {
    if (type != "int64" && chance(10)) return std::nullopt;
    if (type == "bool") return chance(2) ? "true" : "false";
    if (type == "int16") return std::to_string(between(-32768, 32767));
    if (type == "int32") return std::to_string(between(INT32_MIN, INT32_MAX));
    if (type == "int64") return std::to_string(between(INT64_MIN, INT64_MAX));
    if (type == "decimal(15,4)") {
      std::string digits = std::to_string(between(0, 99999999999LL)) + "." + four_digits();
      return portable::decimal((chance(2) ? "-" : "") + digits, 4);
    }
    if (type == "float64") {
      double value = 0;
      do {
        std::uint64_t bits = static_cast<std::uint64_t>(between(0, INT64_MAX)) * 2 + between(0, 1);
        std::memcpy(&value, &bits, sizeof value);
      } while (!std::isfinite(value) || (value == 0 && std::signbit(value)));
      return portable::shortest_double(value);
    }
    if (type == "float32") {
      float value = static_cast<float>(between(-1000000, 1000000)) / 64.0f;
      return portable::shortest_float(value == 0 ? 0.0f : value);
    }
    if (type == "text") return text(between(0, 40));
    if (type == "string(12)") return text(between(0, 12));
    if (type == "char(4)") {
      std::string out = text(between(1, 4));
      while (!out.empty() && out.back() == ' ') out.back() = 'x';
      return out;
    }
    if (type == "bytes") {
      std::string out;
      for (std::int64_t i = between(0, 64); i > 0; --i) out += static_cast<char>(between(0, 255));
      return out;
    }
    if (type == "uuid") {
      std::string bytes;
      for (int i = 0; i < 16; ++i) bytes += static_cast<char>(between(0, 255));
      return portable::uuid_from_bytes(bytes);
    }
    if (type == "json") return json(3).dump();
    if (type == "date") return date();
    if (type == "time") return time();
    if (type == "timestamp") return date() + "T" + time();
    if (type == "timestamptz") return date() + "T" + time() + "Z";
    if (type == "enum('a','b b','ç')") {
      static const char* labels[] = {"a", "b b", "ç"};
      return std::string(labels[between(0, 2)]);
    }
    throw std::logic_error("no generator for " + type);
  }

 private:
  bool chance(int one_in) { return between(1, one_in) == 1; }
  std::int64_t between(std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(random_);
  }
  std::string two(std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }
  std::string four_digits() {
    std::string out = std::to_string(between(0, 9999));
    return std::string(4 - out.size(), '0') + out;
  }
  std::string date() {
    std::int64_t year = between(1, 9999), month = between(1, 12), day = between(1, 28);
    std::string y = std::to_string(year);
    return std::string(4 - y.size(), '0') + y + "-" + two(month) + "-" + two(day);
  }
  std::string time() {
    std::string out = two(between(0, 23)) + ":" + two(between(0, 59)) + ":" + two(between(0, 59));
    if (chance(2)) {
      std::string fraction = std::to_string(between(1, 999999));
      fraction = std::string(6 - fraction.size(), '0') + fraction;
      while (fraction.back() == '0') fraction.pop_back();
      out += "." + fraction;
    }
    return out;
  }
  // Characters from every UTF-8 length, quotes, backslashes and control characters (no NUL:
  // PostgreSQL refuses it, which the edge values test).
  std::string text(std::int64_t length) {
    static const std::vector<std::string> pieces = {
        "a", "Z", "0", " ", "'", "\"", "\\", "\t", "\n", "\r", ",", "é", "ż", "€", "☃", "😀", "𝄞"};
    std::string out;
    for (std::int64_t i = 0; i < length; ++i)
      out += pieces[static_cast<std::size_t>(between(0, pieces.size() - 1))];
    return out;
  }
  nlohmann::json json(int depth) {
    switch (depth > 0 ? between(0, 5) : between(0, 3)) {
      case 0:
        return nullptr;
      case 1:
        return between(INT64_MIN / 2, INT64_MAX / 2);
      case 2:
        return text(between(0, 6));
      case 3:
        return chance(2);
      case 4: {
        nlohmann::json array = nlohmann::json::array();
        for (std::int64_t i = between(0, 3); i > 0; --i) array.push_back(json(depth - 1));
        return array;
      }
      default: {
        nlohmann::json object = nlohmann::json::object();
        for (std::int64_t i = between(0, 3); i > 0; --i)
          object[text(between(1, 4))] = json(depth - 1);
        return object;
      }
    }
  }

  std::mt19937_64 random_;
};

}  // namespace

TEST_CASE("property: random rows of every portable type round-trip on every engine", "[data]") {
  const std::vector<std::string> types = {
      "bool",    "int16", "int32",      "int64",     "decimal(15,4)", "float64",
      "float32", "text",  "string(12)", "char(4)",   "bytes",         "uuid",
      "json",    "date",  "time",       "timestamp", "timestamptz",   "enum('a','b b','ç')"};
  migpkg::test::for_each_engine([&](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    std::vector<ColumnSpec> specs = {{"id", "int64", false}};
    std::vector<std::string> names = {"id"};
    for (std::size_t i = 0; i < types.size(); ++i) {
      specs.push_back({"c" + std::to_string(i), types[i]});
      names.push_back("c" + std::to_string(i));
    }
    for (unsigned seed : {1u, 2u, 3u}) {
      INFO("seed " << seed);
      const std::string name = "random_" + std::to_string(seed);
      create_table(db, dialect, name, specs, {"id"});
      auto table = engine.data_table(db, name);
      REQUIRE(table);
      ValueGenerator generate(seed);
      std::map<std::string, Row> by_key;
      std::vector<Row> rows;
      while (rows.size() < 400) {
        Row row;
        for (const auto& spec : specs) row.push_back(generate(spec.type));
        if (by_key.count(*row[0])) continue;
        by_key[*row[0]] = row;
        rows.push_back(row);
      }
      for (std::size_t at = 0; at < rows.size(); at += 128)
        write(engine, db, *table, names,
              std::vector<Row>(
                  rows.begin() + static_cast<std::ptrdiff_t>(at),
                  rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), at + 128))));
      std::vector<Row> read = read_all(engine, db, *table, 50);
      REQUIRE(read.size() == rows.size());
      std::string previous;
      for (const Row& row : read) {
        const Row& written = by_key.at(*row[0]);
        for (std::size_t i = 0; i < row.size(); ++i) {
          Value expected = written[i];
          INFO("row " << *row[0] << ", column " << names[i] << " (" << specs[i].type << "): wrote "
                      << shown(expected) << ", read " << shown(row[i]));
          CHECK(row[i] == expected);
        }
      }
    }
  });
}

TEST_CASE("read_data refuses a stored value that has no portable form, naming its row", "[data]") {
  auto connection = migpkg::runtime::open_sqlite(":memory:");
  Connection& db = *connection;
  const Engine& engine = migpkg::runtime::engine_of(db);
  db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, at TIMESTAMP, flag BOOLEAN)");
  db.execute("INSERT INTO t VALUES (1, '2024-01-01 10:00:00', 1), (2, 1700000000, 0)");
  auto table = engine.data_table(db, "t");
  REQUIRE(table);
  try {
    read_all(engine, db, *table);
    FAIL("an epoch number read as a timestamp");
  } catch (const ValueError& error) {
    CHECK(error.key() == "(2)");
    CHECK(error.column() == "at");
    CHECK(error.value() == "1700000000");
    CHECK_THAT(error.reason(), Catch::Contains("epoch"));
  }
  db.execute("UPDATE t SET at = NULL WHERE id = 2");
  db.execute("UPDATE t SET flag = 2 WHERE id = 1");
  CHECK_THROWS_WITH(read_all(engine, db, *table),
                    "table t, row (1), column flag, value 2: not a boolean (0 or 1)");
}

TEST_CASE("read_data refuses PostgreSQL and MariaDB values that have no portable form", "[data]") {
  for (const auto& server : migpkg::test::server_engines()) {
    std::string url = server.server_url();
    if (url.empty()) continue;
    migpkg::runtime::TemporaryDatabase scratch(url, "migpkg_test");
    auto connection = migpkg::runtime::open_url(scratch.url());
    Connection& db = *connection;
    const Engine& engine = migpkg::runtime::engine_of(db);
    INFO(server.name);
    if (std::string(server.dialect) == "postgresql") {
      db.execute("CREATE TABLE t (id integer PRIMARY KEY, d date)");
      db.execute("INSERT INTO t VALUES (1, '2024-01-01'), (2, '0044-03-15 BC'), (3, 'infinity')");
    } else {
      db.execute("CREATE TABLE t (id integer PRIMARY KEY, d time)");
      db.execute("INSERT INTO t VALUES (1, '10:00:00'), (2, '100:00:00')");
    }
    auto table = engine.data_table(db, "t");
    REQUIRE(table);
    try {
      read_all(engine, db, *table);
      FAIL("read a value without a portable form");
    } catch (const ValueError& error) {
      CHECK(error.key() == "(2)");
      CHECK(error.column() == "d");
    }
    // The connection is usable afterwards.
    std::string count = std::string(server.dialect) == "postgresql" ? "3" : "2";
    CHECK(db.query("SELECT COUNT(*) FROM t").rows.at(0).at(0) == count);
  }
}

TEST_CASE("MySQL write_data refuses a character its column's character set cannot hold",
          "[data][mysql]") {
  std::string url = migpkg::test::mysql_url();
  if (url.empty()) return;
  migpkg::runtime::TemporaryDatabase scratch(url, "migpkg_test");
  auto connection = migpkg::runtime::open_url(scratch.url());
  Connection& db = *connection;
  const Engine& engine = migpkg::runtime::engine_of(db);
  db.execute(
      "CREATE TABLE narrow (id INT PRIMARY KEY, three VARCHAR(20) CHARACTER SET utf8mb3, "
      "western VARCHAR(20) CHARACTER SET latin1)");
  auto table = engine.data_table(db, "narrow");
  REQUIRE(table);
  const std::vector<std::string> columns = {"id", "three", "western"};
  CHECK(write(engine, db, *table, columns, {{"1", "żółw ☃", "café"}}) == 1);
  try {
    write(engine, db, *table, columns, {{"2", "emoji 😀", "x"}});
    FAIL("a 4-byte character went into utf8mb3");
  } catch (const ValueError& error) {
    CHECK(error.key() == "(2)");
    CHECK(error.column() == "three");
    CHECK_THAT(error.reason(), Catch::Contains("character set utf8mb3"));
  }
  try {
    write(engine, db, *table, columns, {{"3", "x", "żółw"}});
    FAIL("a Polish letter went into latin1");
  } catch (const ValueError& error) {
    CHECK(error.column() == "western");
    CHECK_THAT(error.reason(), Catch::Contains("character set latin1"));
  }
  CHECK(read_all(engine, db, *table) == std::vector<Row>{{"1", "żółw ☃", "café"}});
}

TEST_CASE("data_table: no such table, and a column type without a portable type named", "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    CHECK_FALSE(engine.data_table(db, "missing"));
    db.execute(dialect == "sqlite" ? "CREATE TABLE odd (id INTEGER PRIMARY KEY, x GEOMETRY)"
                                   : "CREATE TABLE odd (id INTEGER PRIMARY KEY, x POINT)");
    CHECK_THROWS_WITH(engine.data_table(db, "odd"), Catch::StartsWith("table odd, column x: ") &&
                                                        Catch::Contains("has no portable type"));
  });
}

TEST_CASE(
    "skip, overwrite and merge never take a clash on another unique key for the primary "
    "key's: the row is refused by name",
    "[data]") {
  migpkg::test::for_each_engine([](Connection& db, const std::string& dialect) {
    const Engine& engine = migpkg::runtime::engine_of(db);
    create_table(db, dialect, "coded",
                 {{"id", "int64", false}, {"code", "string(10)", false}, {"name", "text"}}, {"id"});
    db.execute("CREATE UNIQUE INDEX coded_code ON coded (code)");
    auto table = engine.data_table(db, "coded");
    REQUIRE(table);
    const std::vector<std::string> columns = {"id", "code", "name"};
    write(engine, db, *table, columns, {{"1", "a", "first"}});
    for (OnConflict mode : {OnConflict::Skip, OnConflict::Overwrite, OnConflict::Merge}) {
      INFO("mode " << static_cast<int>(mode));
      // Row 3 is new and clashes with row 1 on code only; row 2 is new and clashes with none.
      CHECK_THROWS_WITH(
          write(engine, db, *table, columns, {{"2", "b", "new"}, {"3", "a", "other"}}, mode),
          Catch::StartsWith("table coded, row (3): "));
      CHECK(read_all(engine, db, *table) == std::vector<Row>{{"1", "a", "first"}});
    }
  });
}

TEST_CASE(
    "SQLite stores loaded timestamps as its date functions write them, so text comparisons "
    "agree with the rows the application wrote",
    "[data][sqlite]") {
  auto db = migpkg::runtime::open_sqlite(":memory:");
  const Engine& engine = migpkg::runtime::engine_of(*db);
  create_table(*db, "sqlite", "stamps",
               {{"id", "int64", false}, {"at", "timestamp"}, {"tz", "timestamptz"}}, {"id"});
  auto table = engine.data_table(*db, "stamps");
  REQUIRE(table);
  write(engine, *db, *table, {"id", "at", "tz"},
        {{"1", "1966-10-31T14:23:37", "2024-01-01T10:00:00.5Z"}});
  auto raw = db->query("SELECT at, tz, at < datetime('1966-10-31 14:23:38') FROM stamps");
  REQUIRE(raw.rows.size() == 1);
  CHECK(raw.rows[0][0] == std::optional<std::string>("1966-10-31 14:23:37"));
  CHECK(raw.rows[0][1] == std::optional<std::string>("2024-01-01 10:00:00.5"));
  CHECK(raw.rows[0][2] == std::optional<std::string>("1"));
  // Read back, the portable forms again.
  std::vector<Row> read = read_all(engine, *db, *table, 10);
  REQUIRE(read.size() == 1);
  CHECK(read[0][1] == std::optional<std::string>("1966-10-31T14:23:37"));
  CHECK(read[0][2] == std::optional<std::string>("2024-01-01T10:00:00.5Z"));
}
