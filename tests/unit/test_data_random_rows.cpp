// Property: random rows of every portable type, three seeds of 400 rows each, written with
// write_data and read back with read_data identical on SQLite, PostgreSQL and MariaDB.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <map>
#include <random>

#include "runtime/data/portable_values.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/data_engine_support.hpp"
#include "unit/test_support.hpp"

using migpkg::data::Row;
using migpkg::data::Value;
using migpkg::runtime::Connection;
using migpkg::runtime::Engine;
using namespace migpkg::test;
namespace portable = migpkg::data::portable;

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
