// The data-set file formats (runtime/data/row_codec.hpp): every portable type's spelling in
// NDJSON and CSV (cases in tests/data-format/values.json), the strict reading of both, base64,
// and the content digest (runtime/data/content_digest.hpp).
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "compiler/schema/type_names.hpp"
#include "compiler/util/sha256.hpp"
#include "runtime/data/base64.hpp"
#include "runtime/data/batch_digester.hpp"
#include "runtime/data/content_digest.hpp"
#include "runtime/data/dataset_manifest.hpp"
#include "runtime/data/json_text.hpp"
#include "runtime/data/portable_values.hpp"
#include "runtime/data/record_splitter.hpp"
#include "runtime/data/row_codec.hpp"
#include "test_support.hpp"

using namespace migpkg::data;
using migpkg::test::read_file;
using migpkg::test::source_dir;
using json = nlohmann::json;

namespace {

using migpkg::data::portable::from_hex;

DataTable one_column(const std::string& type_name) {
  auto type = parse_portable_type(type_name, nullptr);
  REQUIRE(type);
  DataTable table;
  table.name = "t";
  table.columns.push_back({"c", *type, true, false});
  return table;
}

Value case_value(const json& c) {
  if (c.contains("valueHex")) return from_hex(c["valueHex"].get<std::string>());
  if (c["value"].is_null()) return std::nullopt;
  return c["value"].get<std::string>();
}

// Decodes one value from a file's spelling of it.
Value read_value(const DataTable& table, FileFormat format, const std::string& spelled) {
  auto decoder = make_row_decoder(format, table, "t.file");
  Row row;
  if (format == FileFormat::Csv) {
    decoder->read_header("c", 1);
    decoder->read_row(spelled, 2, row);
  } else {
    decoder->read_row("{\"c\":" + spelled + "}", 1, row);
  }
  REQUIRE(row.size() == 1);
  return row[0];
}

json cases() {
  return json::parse(read_file(source_dir() + "/tests/data-format/values.json"));
}

std::string shown(const Value& v) {
  return v ? "\"" + *v + "\"" : "NULL";
}

}  // namespace

TEST_CASE("each portable value is written to NDJSON and CSV as documented, and read back",
          "[data][format]") {
  const json all = cases();  // kept: a range over a temporary's member would dangle
  for (const auto& c : all["written"]) {
    const std::string type = c["type"];
    INFO(type << " " << c.dump());
    DataTable table = one_column(type);
    Value value = case_value(c);
    std::string ndjson, csv;
    make_row_encoder(FileFormat::Ndjson, table)->append_row({value}, 1, ndjson);
    CHECK(ndjson == "{\"c\":" + c["ndjson"].get<std::string>() + "}\n");
    auto csv_encoder = make_row_encoder(FileFormat::Csv, table);
    csv_encoder->append_header(csv);
    csv_encoder->append_row({value}, 1, csv);
    CHECK(csv == "c\r\n" + c["csv"].get<std::string>() + "\r\n");
    CHECK(shown(read_value(table, FileFormat::Ndjson, c["ndjson"])) == shown(value));
    CHECK(shown(read_value(table, FileFormat::Csv, c["csv"])) == shown(value));
  }
}

TEST_CASE("other spellings of a value are read as its portable form", "[data][format]") {
  const json all = cases();  // kept: a range over a temporary's member would dangle
  for (const auto& c : all["read"]) {
    INFO(c.dump());
    DataTable table = one_column(c["type"]);
    FileFormat format = c.contains("csv") ? FileFormat::Csv : FileFormat::Ndjson;
    Value value = read_value(table, format, c[c.contains("csv") ? "csv" : "ndjson"]);
    CHECK(shown(value) == shown(case_value(c)));
  }
}

TEST_CASE("a value that is not of its column's type is refused naming file, line and column",
          "[data][format]") {
  const json all = cases();  // kept: a range over a temporary's member would dangle
  for (const auto& c : all["refused"]) {
    INFO(c.dump());
    DataTable table = one_column(c["type"]);
    FileFormat format = c.contains("csv") ? FileFormat::Csv : FileFormat::Ndjson;
    try {
      read_value(table, format, c[c.contains("csv") ? "csv" : "ndjson"]);
      FAIL("read without an error");
    } catch (const DecodeError& e) {
      std::string message = e.what();
      CHECK_THAT(message, Catch::Contains(c["error"].get<std::string>()));
      CHECK_THAT(message,
                 Catch::StartsWith(format == FileFormat::Csv ? "t.file:2: " : "t.file:1: "));
    }
  }
}

TEST_CASE("NDJSON rows: keys in any order, none unknown, missing or twice", "[data][format]") {
  DataTable table = one_column("int64");
  table.columns.push_back({"name", *migpkg::schema::parse_type_name("text"), true, false});
  auto decoder = make_row_decoder(FileFormat::Ndjson, table, "t.ndjson");
  Row row;
  decoder->read_row(R"( {"name": "x", "c": 7} )", 3, row);
  CHECK(row == Row{std::string("7"), std::string("x")});
  auto refused = [&](const std::string& record, const std::string& error) {
    INFO(record);
    CHECK_THROWS_WITH(decoder->read_row(record, 9, row),
                      Catch::Contains(error) && Catch::StartsWith("t.ndjson:9: "));
  };
  refused(R"({"c":1})", "the row has no key \"name\"");
  refused(R"({"c":1,"name":"a","extra":2})", "key \"extra\" is not a column of table t");
  refused(R"({"c":1,"c":2,"name":"a"})", "column \"c\": the key is there twice");
  refused(R"({"c":1,"name":"a"} x)", "text after the row's object");
  refused(R"([1,"a"])", "expected '{'");
  refused(R"({"c":1,"name":"a")", "expected '}'");
  // 4-byte UTF-8 written raw and as a surrogate pair are the same text.
  decoder->read_row("{\"c\":1,\"name\":\"\\ud834\\udd1e\xf0\x9d\x84\x9e\"}", 1, row);
  CHECK(row[1] == std::string("\xf0\x9d\x84\x9e\xf0\x9d\x84\x9e"));
  refused("{\"c\":1,\"name\":\"\xff\"}", "not valid UTF-8");
}

TEST_CASE("CSV rows: the header names the columns, NULL is empty, \"\" the empty string",
          "[data][format]") {
  DataTable table = one_column("text");
  table.columns.push_back({"n", *migpkg::schema::parse_type_name("int32"), true, false});
  auto decoder = make_row_decoder(FileFormat::Csv, table, "t.csv");
  decoder->read_header("n,c", 1);
  Row row;
  decoder->read_row(",\"\"", 2, row);
  CHECK(row == Row{std::string(""), std::nullopt});
  decoder->read_row("5,", 3, row);
  CHECK(row == Row{std::nullopt, std::string("5")});
  CHECK_THROWS_WITH(decoder->read_row("1,2,3", 4, row), "t.csv:4: 3 fields where the header has 2");
  auto header = [&](const std::string& text, const std::string& error) {
    auto d = make_row_decoder(FileFormat::Csv, table, "t.csv");
    CHECK_THROWS_WITH(d->read_header(text, 1), Catch::Contains(error));
  };
  header("c", "column \"n\" is missing");
  header("c,n,x", "\"x\" is not a column of table t");
  header("c,c", "\"c\" is there twice");
}

TEST_CASE("NDJSON refuses text that is not UTF-8 by table, row and column, CSV holds it",
          "[data][format]") {
  DataTable table = one_column("text");
  std::string out;
  CHECK_THROWS_WITH(
      make_row_encoder(FileFormat::Ndjson, table)->append_row({std::string("a\xc3")}, 12, out),
      Catch::StartsWith("table t, row #12, column c, value ") && Catch::Contains("--format csv"));
  out.clear();
  make_row_encoder(FileFormat::Csv, table)->append_row({std::string("a\xc3")}, 1, out);
  CHECK(out == "a\xc3\r\n");
}

TEST_CASE(
    "a json column's JSON null: refused by NDJSON, where it would read as NULL, while CSV keeps "
    "it apart",
    "[data][format]") {
  DataTable table = one_column("json");
  std::string out;
  CHECK_THROWS_WITH(
      make_row_encoder(FileFormat::Ndjson, table)->append_row({std::string("null")}, 3, out),
      "table t, row #3, column c, value \"null\": a JSON null in a json column cannot be told "
      "from NULL in NDJSON (--format csv can hold it)");
  auto csv = make_row_encoder(FileFormat::Csv, table);
  out.clear();
  csv->append_row({std::string("null")}, 1, out);
  csv->append_row({std::nullopt}, 2, out);
  CHECK(out == "null\r\n\r\n");
  CHECK(read_value(table, FileFormat::Csv, "null") == std::string("null"));
  CHECK(read_value(table, FileFormat::Csv, "") == std::nullopt);
  CHECK(read_value(table, FileFormat::Ndjson, "null") == std::nullopt);
}

TEST_CASE("records: lines, CSV quoted line ends, bounded length", "[data][format]") {
  std::vector<std::pair<std::string, std::uint64_t>> got;
  auto sink = [&](std::string_view r, std::uint64_t line) {
    got.emplace_back(std::string(r), line);
  };
  {
    RecordSplitter csv(sink, true, 100, "f.csv");
    std::string text = "a,\"x\r\ny\"\r\nb,\"\"\"\"\r\n\r\nlast";
    for (char c : text) csv.feed(&c, 1);  // one byte at a time: records span every chunk
    csv.finish();
    REQUIRE(got.size() == 4);
    CHECK(got[0] == std::make_pair(std::string("a,\"x\r\ny\""), std::uint64_t(1)));
    CHECK(got[1] == std::make_pair(std::string("b,\"\"\"\""), std::uint64_t(3)));
    CHECK(got[2] == std::make_pair(std::string(""), std::uint64_t(4)));
    CHECK(got[3] == std::make_pair(std::string("last"), std::uint64_t(5)));
  }
  got.clear();
  RecordSplitter ndjson(sink, false, 8, "f.ndjson");
  ndjson.feed("{}\n{\"a\":1}\n", 11);
  CHECK(got.size() == 2);
  CHECK_THROWS_WITH(ndjson.feed("0123456789", 10), "f.ndjson:3: a record longer than 8 bytes");
  RecordSplitter blank(sink, false, 8, "f.ndjson");
  CHECK_THROWS_WITH(blank.feed("{}\n\n", 4), "f.ndjson:2: an empty line (every line is a row)");
  RecordSplitter open_quote(sink, true, 100, "f.csv");
  open_quote.feed("a\n\"b\n", 5);
  CHECK_THROWS_WITH(open_quote.finish(), "f.csv:2: the file ends inside a quoted field");
}

TEST_CASE("base64 round-trips every byte string and has one spelling for each", "[data][format]") {
  std::mt19937 random(17);
  for (int n = 0; n < 300; ++n) {
    std::string bytes(n % 40, '\0');
    for (char& b : bytes) b = static_cast<char>(random() & 0xff);
    std::string text, back;
    append_base64(text, bytes);
    REQUIRE(decode_base64(text, back));
    CHECK(back == bytes);
  }
  std::string out;
  CHECK_FALSE(decode_base64("AB==", out));  // unused bits set
  CHECK_FALSE(decode_base64("A===", out));
  CHECK_FALSE(decode_base64("AAAA\n", out));
  CHECK(decode_base64("", out));
  CHECK(out.empty());
}

TEST_CASE("canonical JSON: compact, keys sorted, numbers as written, nesting bounded",
          "[data][format]") {
  CHECK(canonical_json(" { \"b\" : [ 1 , 2e5 ] , \"a\" : { } } ") == R"({"a":{},"b":[1,2e5]})");
  CHECK(canonical_json(R"({"a":1,"a":2})") == R"({"a":2})");
  CHECK(canonical_json("\"\\u0000\\n\"") == "\"\\u0000\\n\"");
  CHECK(canonical_json("123456789012345678901234567890") == "123456789012345678901234567890");
  CHECK_THROWS_WITH(canonical_json(std::string(300, '[') + std::string(300, ']')),
                    Catch::Contains("nested deeper than 256"));
  CHECK_THROWS(canonical_json("01"));
  CHECK_THROWS(canonical_json("{\"a\":1,}"));
  CHECK_THROWS(canonical_json("1 2"));
}

TEST_CASE("the content digest: order-independent, NULL is not \"\", any changed row changes it",
          "[data][digest]") {
  const Row a{std::string("1"), std::string("x")};
  const Row b{std::string("2"), std::nullopt};
  const Row c{std::string("3"), std::string("")};
  auto digest = [](const std::vector<Row>& rows) {
    ContentDigest d;
    for (const Row& r : rows) d.add(r);
    return d.hex();
  };
  const std::string abc = digest({a, b, c});
  CHECK_THAT(abc, Catch::Matches("sha256-sum:[0-9a-f]{64}"));
  CHECK(digest({c, a, b}) == abc);
  CHECK(digest({b, c, a}) == abc);
  CHECK(digest({a, b}) != abc);                                       // missing
  CHECK(digest({a, b, c, c}) != abc);                                 // doubled
  CHECK(digest({a, b, c, a, b, c}) != abc);                           // all doubled
  CHECK(digest({a, b, Row{std::string("3"), std::nullopt}}) != abc);  // "" -> NULL
  CHECK(digest({a, b, Row{std::string("3"), std::string(" ")}}) != abc);
  CHECK(digest({Row{std::string("1x")}, b, c}) !=
        digest({Row{std::string("1"), std::string("x")}, b, c}));
  CHECK(digest({Row{std::string("ab"), std::string("c")}}) !=
        digest({Row{std::string("a"), std::string("bc")}}));
  CHECK(digest({Row{std::string("a")}}) != digest({Row{std::string("a"), std::nullopt}}));
  CHECK(digest({}) == "sha256-sum:" + std::string(64, '0'));
  // A property: random rows in random orders give one digest; changing one value changes it.
  std::mt19937 random(4);
  for (int round = 0; round < 20; ++round) {
    std::vector<Row> rows;
    for (int i = 0; i < 50; ++i) {
      Row r;
      for (int k = 0; k < 3; ++k)
        r.push_back(random() % 5 == 0 ? Value() : Value(std::to_string(random() % 7)));
      rows.push_back(r);
    }
    std::string before = digest(rows);
    std::shuffle(rows.begin(), rows.end(), random);
    CHECK(digest(rows) == before);
    Row& changed = rows[random() % rows.size()];
    changed[0] = changed[0] ? Value(*changed[0] + "0") : Value(std::string());
    CHECK(digest(rows) != before);
  }
}

TEST_CASE("the content digest is the one docs/data.md defines, batch by batch or whole",
          "[data][digest]") {
  // The definition written out again here, byte by byte: data sets record this digest, so a
  // faster implementation must give the same sum as every earlier migpkg did.
  auto le64 = [](std::uint64_t n) {
    std::string out;
    for (int i = 0; i < 8; ++i) out += static_cast<char>((n >> (8 * i)) & 0xff);
    return out;
  };
  auto by_definition = [&](const std::vector<Row>& rows) {
    std::array<unsigned, 32> sum{};
    for (const Row& row : rows) {
      std::string bytes = le64(row.size());
      for (const Value& v : row)
        bytes += v ? std::string(1, '\x01') + le64(v->size()) + *v : std::string(1, '\x00');
      migpkg::Sha256 sha;
      sha.update(bytes);
      const auto digest = sha.digest();
      unsigned carry = 0;
      for (std::size_t i = 0; i < 32; ++i) {
        sum[i] += digest[i] + carry;
        carry = sum[i] >> 8;
        sum[i] &= 0xff;
      }
    }
    std::string hex = "sha256-sum:";
    for (std::size_t i = 32; i-- > 0;) {
      static const char digits[] = "0123456789abcdef";
      hex += digits[sum[i] >> 4];
      hex += digits[sum[i] & 15];
    }
    return hex;
  };
  std::mt19937 random(17);
  for (int round = 0; round < 20; ++round) {
    std::vector<Row> rows(1 + random() % 300);
    for (Row& row : rows) {
      row.resize(random() % 6);
      // Values up to 1,500 bytes: some longer than half of the implementation's 1 KB buffer.
      for (Value& v : row)
        if (random() % 7)
          v = std::string(random() % 3 ? random() % 40 : random() % 1500, 'a' + random() % 26);
    }
    ContentDigest whole;
    for (const Row& row : rows) whole.add(row);
    CHECK(whole.hex() == by_definition(rows));
    CHECK(whole.rows() == rows.size());
    // Digests of batches, added up, are the whole's.
    ContentDigest merged;
    for (std::size_t at = 0; at < rows.size();) {
      const std::size_t end = std::min(rows.size(), at + 1 + random() % 50);
      ContentDigest batch;
      for (; at < end; ++at) batch.add(rows[at]);
      merged.add(batch);
    }
    CHECK(merged.hex() == whole.hex());
    CHECK(merged.rows() == whole.rows());
  }
}

namespace {

// A random value of `type` in its portable form (data_table.hpp), or NULL one time in ten.
Value random_value(const migpkg::ir::ColumnType& type, std::mt19937_64& random) {
  using Kind = migpkg::ir::ColumnType::Kind;
  if (random() % 10 == 0) return std::nullopt;
  auto pick = [&](std::uint64_t n) { return static_cast<std::size_t>(random() % n); };
  auto digits = [&](std::size_t n, bool leading_nonzero) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
      out += static_cast<char>('0' + (i == 0 && leading_nonzero ? 1 + pick(9) : pick(10)));
    return out;
  };
  auto text = [&](bool trim_end) {
    static const std::vector<std::string> pieces = {
        "a",    "Z",    " ", ",", "\"", "\\", "\r",   "\n", "\r\n", "\t", std::string(1, '\0'),
        "\x1f", "\x7f", "é", "€", "😀",  "𝄞",  "null", "{}", "=",    "''"};
    std::string out;
    for (std::size_t n = pick(12); n > 0; --n) out += pieces[pick(pieces.size())];
    if (trim_end)
      while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  };
  switch (type.kind) {
    case Kind::Bool:
      return std::string(random() % 2 ? "true" : "false");
    case Kind::Int16:
      return std::to_string(static_cast<std::int16_t>(random()));
    case Kind::Int32:
    case Kind::Serial:
      return std::to_string(static_cast<std::int32_t>(random()));
    case Kind::Int64:
    case Kind::BigSerial:
      return std::to_string(static_cast<std::int64_t>(random()));
    case Kind::Decimal: {
      auto scale = static_cast<std::size_t>(type.scale.value_or(0));
      std::size_t whole = pick(static_cast<std::size_t>(*type.precision) - scale + 1);
      std::string out = whole ? digits(whole, true) : "0";
      if (scale) out += "." + digits(scale, false);
      bool zero = out.find_first_not_of("0.") == std::string::npos;
      return (random() % 2 && !zero ? "-" : "") + out;
    }
    case Kind::Float32:
    case Kind::Float64: {
      std::uint64_t bits = random();
      double d = 0;
      std::memcpy(&d, &bits, sizeof d);
      if (std::isnan(d)) return std::string("NaN");
      if (std::isinf(d)) return std::string(d > 0 ? "Infinity" : "-Infinity");
      char buffer[64];
      auto end = type.kind == Kind::Float32
                     ? std::to_chars(buffer, buffer + 64, static_cast<float>(d)).ptr
                     : std::to_chars(buffer, buffer + 64, d).ptr;
      std::string out(buffer, end);
      if (out == "inf" || out == "-inf" || out == "nan" || out == "-nan") return std::string("0");
      return out;
    }
    case Kind::Text:
    case Kind::String:
    case Kind::Enum:
      return text(false);
    case Kind::Char:
      return text(true);
    case Kind::Bytes: {
      std::string out(pick(20), '\0');
      for (char& b : out) b = static_cast<char>(random());
      return out;
    }
    case Kind::Uuid: {
      static const char hex[] = "0123456789abcdef";
      std::string out(36, '-');
      for (std::size_t i = 0; i < 36; ++i)
        if (i != 8 && i != 13 && i != 18 && i != 23) out[i] = hex[pick(16)];
      return out;
    }
    case Kind::Json: {
      json doc = json::object();  // sorted keys: nlohmann's dump is the canonical form
      for (std::size_t n = pick(4); n > 0; --n)
        doc[text(false)] = random() % 3 == 0 ? json(text(false))
                           : random() % 2    ? json(static_cast<std::int64_t>(random()))
                                             : json::array({true, nullptr, json::object()});
      return doc.dump();
    }
    case Kind::Date: {
      char out[16];
      std::snprintf(out, sizeof out, "%04d-%02d-%02d", int(pick(10000)), int(1 + pick(12)),
                    int(1 + pick(28)));
      return std::string(out);
    }
    case Kind::Time:
    case Kind::Timestamp:
    case Kind::TimestampTz: {
      char time[32];
      std::snprintf(time, sizeof time, "%02d:%02d:%02d", int(pick(24)), int(pick(60)),
                    int(pick(60)));
      std::string out = time;
      if (random() % 2) {
        std::string fraction = digits(1 + pick(6), false);
        while (fraction.back() == '0') fraction.back() = '7';
        out += "." + fraction;
      }
      if (type.kind == Kind::Time) return out;
      char date[16];
      std::snprintf(date, sizeof date, "%04d-%02d-%02d", int(pick(10000)), int(1 + pick(12)),
                    int(1 + pick(28)));
      return std::string(date) + "T" + out + (type.kind == Kind::TimestampTz ? "Z" : "");
    }
    case Kind::Vector:
      return "[" + std::to_string(static_cast<std::int32_t>(random())) + "," +
             std::to_string(pick(100)) + ",0]";
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("property: random rows of every portable type survive both formats, in any chunking",
          "[data][format]") {
  DataTable table;
  table.name = "random";
  for (const char* type :
       {"bool",           "int16",         "int32",       "int64",    "serial", "bigserial",
        "decimal(38,10)", "decimal(5)",    "float32",     "float64",  "text",   "string(30)",
        "char(10)",       "enum('a','b')", "bytes",       "uuid",     "json",   "date",
        "time",           "timestamp",     "timestamptz", "vector(3)"})
    table.columns.push_back({std::string("c_") + type, *parse_portable_type(type, nullptr)});
  std::mt19937_64 random(20261206);
  for (FileFormat format : {FileFormat::Ndjson, FileFormat::Csv}) {
    INFO((format == FileFormat::Csv ? "csv" : "ndjson"));
    std::vector<Row> rows;
    for (int i = 0; i < 2000; ++i) {
      Row row;
      for (const auto& c : table.columns) row.push_back(random_value(c.type, random));
      rows.push_back(row);
    }
    std::string file;
    auto encoder = make_row_encoder(format, table);
    encoder->append_header(file);
    for (std::size_t i = 0; i < rows.size(); ++i) encoder->append_row(rows[i], i + 1, file);
    auto decoder = make_row_decoder(format, table, "random.file");
    bool header_due = decoder->has_header();
    std::vector<Row> back;
    RecordSplitter splitter(
        [&](std::string_view record, std::uint64_t line) {
          if (header_due) {
            decoder->read_header(record, line);
            header_due = false;
            return;
          }
          Row row;
          decoder->read_row(record, line, row);
          back.push_back(std::move(row));
        },
        format == FileFormat::Csv, 1 << 20, "random.file");
    for (std::size_t at = 0; at < file.size();) {
      std::size_t n = std::min<std::size_t>(file.size() - at, 1 + random() % 700);
      splitter.feed(file.data() + at, n);
      at += n;
    }
    splitter.finish();
    REQUIRE(back.size() == rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r)
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        if (back[r][c] != rows[r][c])
          FAIL_CHECK("row " << r + 1 << ", " << table.columns[c].name << ": " << shown(rows[r][c])
                            << " came back as " << shown(back[r][c]));
  }
}

TEST_CASE("a batch digested on the digester's thread has the digest of its rows",
          "[data][digest]") {
  std::mt19937 random(23);
  migpkg::data::BatchDigester digester;
  for (int round = 0; round < 50; ++round) {
    std::vector<Row> rows(random() % 200);
    for (Row& row : rows)
      for (int k = 0; k < 4; ++k)
        row.push_back(random() % 4 == 0 ? Value() : Value(std::to_string(random())));
    ContentDigest here;
    for (const Row& row : rows) here.add(row);
    if (round % 5 == 4) {
      // Left by a throw before the digest was taken: the scope waits for it, and the digester
      // takes the next batch.
      CHECK_THROWS_AS(([&] {
                        migpkg::data::BatchDigester::Started started(digester, rows);
                        throw std::runtime_error("the caller failed");
                      }()),
                      std::runtime_error);
      continue;
    }
    migpkg::data::BatchDigester::Started started(digester, rows);
    const ContentDigest there = started.wait();
    CHECK(there.rows() == rows.size());
    CHECK(there.hex() == here.hex());
  }
}
