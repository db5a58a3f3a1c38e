// A REAL read from SQLite for a decimal column (runtime/engines/sqlite/data_values.cpp) is the
// decimal SQLite's own text for it ("%!.15g", what CAST(x AS TEXT) prints) reads as, although
// migpkg formats most of them itself: the same value or the same refusal, for doubles of every
// shape (random bit patterns, cents, 15 to 17 significant digits, halves at the 16th digit,
// subnormals).
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>

#include "compiler/schema/type_names.hpp"
#include "runtime/data/portable_values.hpp"
#include "runtime/engines/sqlite/data_values.hpp"

namespace {

std::vector<double> sample_doubles() {
  // Zeros, cents, thirds, the edges of 15 digits and exponents, halves at the 16th digit.
  static const char* const kTexts[] = {"0",
                                       "-0",
                                       "0.1",
                                       "0.5",
                                       "1",
                                       "100",
                                       "1e15",
                                       "1e16",
                                       "1e-5",
                                       "123.45",
                                       "-12.34",
                                       "1e21",
                                       "1e-300",
                                       "1e300",
                                       "0.3",
                                       "2.5e-7",
                                       "99.995",
                                       "0.30000000000000004",
                                       "0.3333333333333333",
                                       "0.6666666666666666",
                                       "9007199254740993",
                                       "123456789012345.5",
                                       "123456789012344.5",
                                       "999999999999999.5",
                                       "2.6771950015249e-310",
                                       "-8.318023168619e-310",
                                       "2.2250738585072014e-308"};
  std::vector<double> values;
  for (const char* text : kTexts) values.push_back(std::strtod(text, nullptr));
  std::mt19937_64 random(42);
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t bits = random();
    double value;
    std::memcpy(&value, &bits, sizeof value);
    if (std::isfinite(value)) values.push_back(value);
    // The data benchmark's prices: cents, as SQLite's NUMERIC affinity keeps them.
    values.push_back(static_cast<double>(random() % 100000000) / 100);
    // 15 to 17 significant digits, around SQLite's 15.
    values.push_back(static_cast<double>(random() % 100000000000000000ULL) /
                     std::pow(10.0, static_cast<double>(random() % 20)));
    values.push_back(static_cast<double>(random() % 1000000000000000ULL) + 0.5);
    // Subnormal doubles (fewer than 53 bits: their shortest text is not always SQLite's).
    bits = random() >> 12;
    std::memcpy(&value, &bits, sizeof value);
    values.push_back(value);
  }
  return values;
}

// The portable value, or "refused: REASON".
std::string outcome(const std::function<std::string()>& read) {
  try {
    return read();
  } catch (const std::invalid_argument& error) {
    return std::string("refused: ") + error.what();
  }
}

}  // namespace

TEST_CASE("a SQLite REAL in a decimal column reads as the decimal SQLite's text is", "[data]") {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> close(db, sqlite3_close);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE t (v REAL)", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_stmt* insert = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1)", -1, &insert, nullptr) == SQLITE_OK);
  const std::vector<double> values = sample_doubles();
  for (double value : values) {
    sqlite3_bind_double(insert, 1, value);
    REQUIRE(sqlite3_step(insert) == SQLITE_DONE);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);

  sqlite3_stmt* select = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT v, CAST(v AS TEXT), typeof(v) FROM t", -1, &select,
                             nullptr) == SQLITE_OK);
  std::size_t rows = 0, refused = 0;
  // A decimal without precision or scale (another engine's NUMERIC), and two with them.
  std::vector<std::pair<std::string, migpkg::ir::ColumnType>> types;
  migpkg::ir::ColumnType unscaled;
  unscaled.kind = migpkg::ir::ColumnType::Kind::Decimal;
  types.push_back({"decimal", unscaled});
  for (const char* declared :
       {"decimal(12,2)", "decimal(38,10)", "decimal(18,0)", "decimal(38,15)"}) {
    auto parsed = migpkg::schema::parse_type_name(declared);
    REQUIRE(parsed);
    types.push_back({declared, *parsed});
  }
  for (const auto& [name, column_type] : types) {
    const migpkg::ir::ColumnType* type = &column_type;
    while (sqlite3_step(select) == SQLITE_ROW) {
      REQUIRE(std::string(reinterpret_cast<const char*>(sqlite3_column_text(select, 2))) == "real");
      const std::string sqlite_text = reinterpret_cast<const char*>(sqlite3_column_text(select, 1));
      INFO(name << " " << sqlite_text);
      const std::string want =
          outcome([&] { return migpkg::data::portable::decimal(sqlite_text, type->scale); });
      const std::string got =
          outcome([&] { return *migpkg::runtime::sqlite_data::read_value(select, 0, *type); });
      CHECK(got == want);
      ++rows;
      refused += want.rfind("refused", 0) == 0;
    }
    sqlite3_reset(select);
  }
  sqlite3_finalize(select);
  CHECK(rows == types.size() * values.size());
  CHECK(refused > 0);     // decimal(12,2) refuses what has more than 2 fraction digits
  CHECK(refused < rows);  // and the others are read
}
