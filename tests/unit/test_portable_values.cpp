// The engine-neutral portable value helpers (runtime/data/portable_values.hpp): the cases in
// tests/data/portable-values.json, and properties over random values.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>
#include <random>

#include "compiler/schema/type_names.hpp"
#include "runtime/data/portable_values.hpp"
#include "unit/test_support.hpp"

namespace portable = migpkg::data::portable;

namespace {

std::string apply(const nlohmann::json& test) {
  const std::string fn = test["fn"];
  const std::string in = test["in"];
  if (fn == "integer") return portable::integer(in);
  if (fn == "decimal")
    return portable::decimal(in, test.contains("scale")
                                     ? std::optional<std::int64_t>(test["scale"].get<int>())
                                     : std::nullopt);
  if (fn == "double") return portable::shortest_double(portable::parse_double(in));
  if (fn == "uuid") return portable::uuid(in);
  if (fn == "json") return portable::canonical_json(in);
  if (fn == "date") return portable::date(in);
  if (fn == "time") return portable::time(in);
  if (fn == "timestamp") return portable::timestamp(in);
  if (fn == "timestamptz") return portable::timestamptz(in);
  if (fn == "hex") return portable::to_hex(portable::from_hex(in));  // bytes shown as hex again
  if (fn == "fit") {
    auto type = migpkg::schema::parse_type_name(test["type"]);
    REQUIRE(type);
    std::string value = in;
    portable::fit(*type, value);
    return value;
  }
  throw std::logic_error("unknown helper " + fn);
}

}  // namespace

TEST_CASE("the portable value helpers give each case's result or refuse it with its reason",
          "[data]") {
  auto cases = nlohmann::json::parse(
      migpkg::test::read_file(migpkg::test::source_dir() + "/tests/data/portable-values.json"));
  for (const auto& test : cases["cases"]) {
    INFO(test.dump());
    if (test.contains("error")) {
      try {
        std::string result = apply(test);
        FAIL("accepted, giving " << result);
      } catch (const std::invalid_argument& error) {
        CHECK_THAT(error.what(), Catch::Contains(test["error"].get<std::string>()));
      }
    } else {
      CHECK(apply(test) == test["out"].get<std::string>());
    }
  }
}

TEST_CASE(
    "property: a double's shortest text reads back as the same double, a float's as the "
    "same float",
    "[data]") {
  std::mt19937_64 random(7);
  for (int i = 0; i < 100000; ++i) {
    std::uint64_t bits = random();
    double value;
    std::memcpy(&value, &bits, sizeof value);
    if (std::isnan(value)) continue;
    std::string text = portable::shortest_double(value);
    INFO(text);
    double back = portable::parse_double(text);
    CHECK(std::memcmp(&back, &value, sizeof value) == 0);
    // Never an exponent-free text longer than the shortest form would need.
    CHECK(text.size() <= 24);

    std::uint32_t narrow_bits = static_cast<std::uint32_t>(bits);
    float narrow;
    std::memcpy(&narrow, &narrow_bits, sizeof narrow);
    if (std::isnan(narrow)) continue;
    std::string narrow_text = portable::shortest_float(narrow);
    INFO(narrow_text);
    float narrow_back = static_cast<float>(portable::parse_double(narrow_text));
    CHECK(std::memcmp(&narrow_back, &narrow, sizeof narrow) == 0);
    // A float's portable text fits float32 columns as it is.
    std::string fitted = narrow_text;
    migpkg::ir::ColumnType float32;
    float32.kind = migpkg::ir::ColumnType::Kind::Float32;
    if (!std::isinf(narrow)) {
      portable::fit(float32, fitted);
      CHECK(fitted == narrow_text);
    }
  }
}

TEST_CASE("property: timestamptz gives the instant in UTC that timegm and gmtime give", "[data]") {
  std::mt19937_64 random(11);
  auto between = [&](std::int64_t low, std::int64_t high) {
    return std::uniform_int_distribution<std::int64_t>(low, high)(random);
  };
  auto two = [](long n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  for (int i = 0; i < 20000; ++i) {
    std::tm local{};
    local.tm_year = static_cast<int>(between(2, 9998)) - 1900;
    local.tm_mon = static_cast<int>(between(0, 11));
    local.tm_mday = static_cast<int>(between(1, 28));
    local.tm_hour = static_cast<int>(between(0, 23));
    local.tm_min = static_cast<int>(between(0, 59));
    local.tm_sec = static_cast<int>(between(0, 59));
    int offset_minutes = static_cast<int>(between(-14 * 60, 14 * 60));
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", local.tm_year + 1900,
                  local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec);
    int magnitude = std::abs(offset_minutes);
    std::string zone = std::string(offset_minutes < 0 ? "-" : "+") + two(magnitude / 60) + ":" +
                       two(magnitude % 60);
    std::time_t instant = timegm(&local) - offset_minutes * 60;
    std::tm utc{};
    gmtime_r(&instant, &utc);
    char expected[64];
    std::snprintf(expected, sizeof expected, "%04d-%02d-%02dT%02d:%02d:%02dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    INFO(text << zone);
    CHECK(portable::timestamptz(std::string(text) + zone) == expected);
  }
}

// The two normalisers every exported row goes through, on text as databases print it and on
// text near it (leading and trailing zeros, days and times out of range): each result is
// computed here from the parts the text was made of, so the fast paths for text already in
// portable form and the general rewriting must agree with it and with each other.
TEST_CASE("property: timestamps and decimals as printed give the portable form or are refused",
          "[data]") {
  std::mt19937_64 random(17);
  auto between = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  auto digits = [&](int count) {
    std::string out;
    for (int i = 0; i < count; ++i) out += static_cast<char>('0' + between(0, 9));
    return out;
  };
  auto zeros_at_end = [&](std::string text) {  // often: what MySQL's DATETIME(6) prints
    if (between(0, 1)) text.append(static_cast<std::size_t>(between(1, 3)), '0');
    return text;
  };
  for (int i = 0; i < 20000; ++i) {
    const int year = between(0, 2), y = year == 0 ? 0 : year == 1 ? between(1, 9999) : 2024;
    const int month = between(0, 13), day = between(0, 32);
    const int hour = between(0, 24), minute = between(0, 60), second = between(0, 60);
    const bool point = between(0, 3) > 0;
    std::string fraction = point ? zeros_at_end(digits(between(0, 6))) : "";
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d%c%02d:%02d:%02d", y, month, day,
                  between(0, 1) ? ' ' : 'T', hour, minute, second);
    std::string in = std::string(text) + (point ? "." + fraction : "");
    std::string kept = fraction;
    while (!kept.empty() && kept.back() == '0') kept.pop_back();
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    const bool valid = y >= 1 && month >= 1 && month <= 12 && day >= 1 &&
                       day <= days[month - 1] + (month == 2 && leap ? 1 : 0) && hour <= 23 &&
                       minute <= 59 && second <= 59 && !(point && fraction.empty()) &&
                       kept.size() <= 6;
    INFO(in);
    if (valid) {
      std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", y, month, day, hour, minute,
                    second);
      CHECK(portable::timestamp(in) == std::string(text) + (kept.empty() ? "" : "." + kept));
    } else {
      CHECK_THROWS_AS(portable::timestamp(in), std::invalid_argument);
    }
  }
  for (int i = 0; i < 20000; ++i) {
    const int sign = between(0, 2);
    std::string whole = between(0, 3) ? digits(between(0, 20)) : "0" + digits(between(0, 3));
    const bool point = between(0, 3) > 0;
    std::string fraction = point ? zeros_at_end(digits(between(0, 8))) : "";
    const int scale = between(0, 6);
    const std::string in = std::string(sign == 0   ? ""
                                       : sign == 1 ? "-"
                                                   : "+") +
                           whole + (point ? "." : "") + fraction;
    const bool no_digits = whole.empty() && fraction.empty();
    while (whole.size() > 1 && whole[0] == '0') whole.erase(0, 1);
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    INFO(in << " scale " << scale);
    if (no_digits || fraction.size() > static_cast<std::size_t>(scale)) {
      CHECK_THROWS_AS(portable::decimal(in, scale), std::invalid_argument);
      continue;
    }
    if (whole.empty()) whole = "0";
    const bool zero = whole == "0" && fraction.find_first_not_of('0') == std::string::npos;
    fraction.append(static_cast<std::size_t>(scale) - fraction.size(), '0');
    CHECK(portable::decimal(in, scale) ==
          (sign == 1 && !zero ? "-" : "") + whole + (scale ? "." + fraction : ""));
  }
}

TEST_CASE("row keys and shortened values for messages", "[data]") {
  migpkg::data::DataTable table;
  table.name = "t";
  table.columns = {{"a", {}, true, false}, {"b", {}, true, false}};
  table.columns[0].type.kind = migpkg::ir::ColumnType::Kind::Int64;
  table.primary_key = {"a", "b"};
  CHECK(portable::row_key(table, {"a", "b"}, {"7", "x'y"}, 3) == "(7, 'x'y')");
  CHECK(portable::row_key(table, {"b", "a"}, {"x", "7"}, 3) == "(7, 'x')");
  CHECK(portable::row_key(table, {"a"}, {"7"}, 3) == "#3");
  table.primary_key.clear();
  CHECK(portable::row_key(table, {"a", "b"}, {"7", "x"}, 12) == "#12");
  CHECK(portable::shortened(std::string("a\0b\n", 4)) == "a\\x00b\\x0a");
  std::string long_text(100, 'z');
  CHECK(portable::shortened(long_text) == std::string(60, 'z') + "... (100 bytes)");
  // Not cut inside a character.
  std::string polish = "a";
  for (int i = 0; i < 40; ++i) polish += "ż";
  CHECK(portable::shortened(polish) == polish.substr(0, 61) + "... (81 bytes)");
  CHECK(portable::from_hex(portable::to_hex(std::string("\x00\xff", 2))) ==
        std::string("\x00\xff", 2));
  CHECK_THROWS_WITH(portable::from_hex("abc"), "an odd number of hex digits");
}

TEST_CASE("parse_int64 reads what std::from_chars reads, and refuses what it refuses", "[data]") {
  // Edges of the range, leading zeros, signs and junk, then random texts of digits and signs.
  std::vector<std::string> texts = {"0",
                                    "-0",
                                    "007",
                                    "-007",
                                    "+7",
                                    "",
                                    "-",
                                    "--1",
                                    "1-",
                                    " 1",
                                    "1 ",
                                    "12a",
                                    "9223372036854775807",
                                    "9223372036854775808",
                                    "-9223372036854775808",
                                    "-9223372036854775809",
                                    "18446744073709551615",
                                    "18446744073709551616",
                                    "99999999999999999999",
                                    "0000000000000000000000000000042",
                                    "-0000000000000000000009223372036854775808"};
  std::mt19937_64 random(7);
  const char alphabet[] = "0123456789-0123456789+ x";
  for (int i = 0; i < 200000; ++i) {
    std::string text(random() % 22, '0');
    for (char& c : text) c = alphabet[random() % (sizeof alphabet - 1)];
    texts.push_back(text);
    texts.push_back(std::to_string(static_cast<std::int64_t>(random())));
  }
  for (const std::string& text : texts) {
    INFO("'" << text << "'");
    std::int64_t want = 0, got = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), want);
    const bool reads = error == std::errc() && end == text.data() + text.size();
    REQUIRE(migpkg::data::portable::parse_int64(text, got) == reads);
    if (reads) REQUIRE(got == want);
  }
}
