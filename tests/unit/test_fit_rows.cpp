// portable::fits_as_it_is and portable::fit_rows (runtime/data/fit_rows.hpp), the
// copy-free fitting of a load's rows: both must agree with `fit` and fitted_rows on every value,
// accepted or refused, as the cases of tests/data/portable-values.json and random values show.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <random>

#include "compiler/schema/type_names.hpp"
#include "runtime/data/fit_rows.hpp"
#include "runtime/data/portable_values.hpp"
#include "unit/test_support.hpp"

namespace portable = migpkg::data::portable;
using migpkg::data::DataColumn;
using migpkg::data::DataTable;
using migpkg::data::Row;
using migpkg::data::Value;
using migpkg::data::ValueError;

namespace {

migpkg::ir::ColumnType type_of(const std::string& name) {
  auto type = migpkg::schema::parse_type_name(name);
  REQUIRE(type);
  return *type;
}

// What `fit` makes of the value: its fitted text, or nullopt when it refuses it.
std::optional<std::string> fitted(const migpkg::ir::ColumnType& type, const std::string& value) {
  std::string text = value;
  try {
    portable::fit(type, text);
    return text;
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

// The types with a cheap check, and texts for each: fitted, to be normalised, and refused.
const std::vector<std::pair<std::string, std::vector<std::string>>> kValues = {
    {"bool", {"true", "false", "TRUE", "1", "", "t"}},
    {"int16", {"0", "-1", "32767", "-32768", "32768", "-32769", "007", "-0", "+5", "", "-", "1a"}},
    {"int32", {"2147483647", "-2147483648", "2147483648", "00", "-07", " 1", "12"}},
    {"int64",
     {"9223372036854775807", "-9223372036854775808", "9223372036854775808", "0", "-0", "1e3"}},
    {"decimal(5,2)", {"999.99", "-999.99", "1000.00", "1.5", "1.50", "-0.00", "0.00", "01.00"}},
    {"decimal(12,2)", {"123456.78", "0.10", "-12.34", "1e2", ".50", "12.345"}},
    {"decimal(30)", {"1", "1.0", "-0", "0.5", "10", "1.25", "abc"}},
    {"text", {"", "plain", "\xc3\xbcml\xc3\xa4ut", "\xf0\x9f\x98\x80", "\xff", "a\xc3", "a\0b"}},
    {"string(3)", {"abc", "abcd", "\xc3\xbc\xc3\xbc\xc3\xbc", "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"}},
    {"char(2)", {"ab", "abc", ""}},
    {"bytes", {"", std::string("\0\xff", 2)}},
    {"timestamp",
     {"2001-02-03T04:05:06", "2001-02-03 04:05:06", "2001-02-03T04:05:06.5",
      "2001-02-03T04:05:06.50", "2001-02-30T04:05:06", "2001-02-03T04:05:06Z"}},
    {"timestamptz",
     {"2001-02-03T04:05:06Z", "2001-02-03T04:05:06", "2001-02-03T04:05:06+01:00",
      "1969-12-31T23:59:59.999999Z"}},
};

// The kinds fits_as_it_is checks itself (for the others it leaves the answer to `fit`).
bool cheap(migpkg::ir::ColumnType::Kind kind) {
  using Kind = migpkg::ir::ColumnType::Kind;
  for (Kind k : {Kind::Bool, Kind::Int16, Kind::Int32, Kind::Int64, Kind::Serial, Kind::BigSerial,
                 Kind::Decimal, Kind::Text, Kind::String, Kind::Char, Kind::Bytes, Kind::Timestamp,
                 Kind::TimestampTz})
    if (k == kind) return true;
  return false;
}

}  // namespace

TEST_CASE("fits_as_it_is is true only for a value fit takes and leaves as it is", "[data]") {
  std::vector<std::pair<std::string, std::string>> checked;  // type, value
  for (const auto& [type, values] : kValues)
    for (const std::string& value : values) checked.push_back({type, value});
  auto cases = nlohmann::json::parse(
      migpkg::test::read_file(migpkg::test::source_dir() + "/tests/data/portable-values.json"));
  for (const auto& test : cases["cases"])
    if (test["fn"] == "fit") checked.push_back({test["type"], test["in"]});
  std::mt19937_64 random(17);
  for (int i = 0; i < 20000; ++i) {
    // Integers and decimals around the columns' limits, in and out of their normal forms.
    std::int64_t n = static_cast<std::int64_t>(random()) >> (random() % 64);
    std::string digits = std::to_string(n);
    checked.push_back({"int16", digits});
    checked.push_back({"int32", digits});
    checked.push_back({"int64", (random() % 8 == 0 ? "0" : "") + digits});
    std::string cents = std::to_string(n % 100000000) + "." + std::to_string(random() % 1000);
    checked.push_back({"decimal(10,2)", cents});
    checked.push_back({"decimal(10,3)", cents});
  }
  std::size_t fast = 0;
  for (const auto& [name, value] : checked) {
    INFO(name << " " << value);
    const migpkg::ir::ColumnType type = type_of(name);
    std::optional<std::string> fit = fitted(type, value);
    if (portable::fits_as_it_is(type, value)) {
      ++fast;
      REQUIRE(fit);
      CHECK(*fit == value);
    }
    // What fit gives is in the form the cheap check knows (for every type it checks).
    if (fit && cheap(type.kind)) CHECK(portable::fits_as_it_is(type, *fit));
  }
  CHECK(fast > checked.size() / 4);  // the check is not always false
}

TEST_CASE("fit_rows gives fitted_rows' rows and errors, copying only rows that change", "[data]") {
  DataTable table{"t",
                  {{"id", type_of("int64"), false},
                   {"price", type_of("decimal(6,2)")},
                   {"at", type_of("timestamp")},
                   {"name", type_of("string(4)")},
                   {"id2", type_of("uuid")}},
                  {"id"}};
  const std::vector<std::string> names{"id", "price", "at", "name", "id2"};
  const std::vector<Value> ids{"1", "007", "-0", "x", std::nullopt};
  const std::vector<Value> prices{"1.50", "1.5", "12345.00", std::nullopt};
  const std::vector<Value> ats{"2001-02-03T04:05:06", "2001-02-03 04:05:06", "2001-13-03T04:05:06"};
  const std::vector<Value> texts{"abcd", "abcde", "\xc3\xbc", std::string("a\0", 2)};
  const std::vector<Value> uuids{"0b0e3f6e-1f7a-4c51-9d7e-5b8f9a0c1d2e",
                                 "0B0E3F6E-1F7A-4C51-9D7E-5B8F9A0C1D2E", "nope"};
  // Every combination, one row a batch, and all the rows that fit in one batch.
  std::vector<Row> good;
  std::size_t refused = 0;
  for (const Value& id : ids)
    for (const Value& price : prices)
      for (const Value& at : ats)
        for (const Value& text : texts)
          for (const Value& uuid : uuids) {
            const std::vector<Row> batch{{id, price, at, text, uuid}};
            auto check = [](const DataColumn& column, const std::string& value) {
              if (column.name == "name" && value.find('\0') != std::string::npos)
                throw std::invalid_argument("no NUL");
            };
            std::string want_error, got_error;
            std::vector<Row> want;
            try {
              want =
                  portable::fitted_rows(table, names, batch, nullptr,
                                        [&](const DataColumn& c, std::string& v) { check(c, v); });
            } catch (const ValueError& error) {
              want_error = error.what();
            }
            try {
              portable::FittedRows got = portable::fit_rows(table, names, batch, check);
              REQUIRE(got.size() == 1);
              CHECK(*got.rows()[0] == want.at(0));
              // The caller's row itself when nothing changed, a copy when something did.
              CHECK((got.rows()[0] == &batch[0]) == (want[0] == batch[0]));
            } catch (const ValueError& error) {
              got_error = error.what();
            }
            INFO(want_error);
            CHECK(got_error == want_error);
            if (want_error.empty()) good.push_back(batch[0]);
            refused += !want_error.empty();
          }
  CHECK(refused > 0);
  REQUIRE(good.size() > 10);
  portable::FittedRows all = portable::fit_rows(table, names, good, nullptr);
  std::vector<Row> want = portable::fitted_rows(table, names, good, nullptr, nullptr);
  REQUIRE(all.size() == want.size());
  for (std::size_t r = 0; r < want.size(); ++r) CHECK(*all.rows()[r] == want[r]);
}
