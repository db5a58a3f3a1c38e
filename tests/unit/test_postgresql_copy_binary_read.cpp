// Reading PostgreSQL rows in binary COPY (runtime/engines/postgresql/copy_binary_read.hpp): the
// stream reader gives the same rows however libpq cuts the stream into pieces and refuses a
// malformed stream by what is wrong.
#include <catch2/catch.hpp>

#include <random>

#include "runtime/engines/postgresql/copy_binary.hpp"
#include "runtime/engines/postgresql/copy_binary_read.hpp"

namespace {

namespace postgresql_data = migpkg::runtime::postgresql_data;
using Field = std::optional<std::string>;

void put32(std::string& out, std::int32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

// A binary COPY stream as the server writes one: header (with a header extension of
// `extension` bytes), each row's field count and fields, the trailer.
std::string stream_of(const std::vector<std::vector<Field>>& rows, std::size_t extension = 0) {
  std::string out;
  postgresql_data::append_binary_header(out);
  if (extension) {
    out.resize(out.size() - 4);
    put32(out, static_cast<std::int32_t>(extension));
    out += std::string(extension, 'x');
  }
  for (const auto& row : rows) {
    out += static_cast<char>(row.size() >> 8);
    out += static_cast<char>(row.size() & 0xff);
    for (const Field& field : row) {
      put32(out, field ? static_cast<std::int32_t>(field->size()) : -1);
      if (field) out += *field;
    }
  }
  postgresql_data::append_binary_trailer(out);
  return out;
}

// Feeds `stream` in pieces of the sizes `cut` gives; returns the rows read.
std::vector<std::vector<Field>> read_all(const std::string& stream, std::size_t fields,
                                         const std::function<std::size_t()>& cut,
                                         bool* complete = nullptr) {
  postgresql_data::BinaryCopyRows reader(fields);
  std::vector<std::vector<Field>> rows;
  std::vector<std::optional<std::string_view>> row;
  for (std::size_t at = 0; at < stream.size();) {
    const std::size_t size = std::min(stream.size() - at, std::max<std::size_t>(1, cut()));
    reader.feed(stream.data() + at, size);
    at += size;
    while (reader.next(row)) {
      std::vector<Field> copied;
      for (const auto& field : row) copied.push_back(field ? Field(std::string(*field)) : Field());
      rows.push_back(copied);
    }
  }
  if (complete) *complete = reader.complete();
  return rows;
}

}  // namespace

TEST_CASE("property: the binary COPY reader gives every row, however the stream is cut",
          "[data][postgresql][format]") {
  std::mt19937 random(1207);
  for (int round = 0; round < 200; ++round) {
    const std::size_t fields = 1 + random() % 6;
    std::vector<std::vector<Field>> rows(random() % 40);
    for (auto& row : rows)
      for (std::size_t i = 0; i < fields; ++i)
        row.push_back(random() % 5 == 0
                          ? Field()
                          : Field(std::string(random() % 3 ? random() % 20 : random() % 3000,
                                              static_cast<char>(random() % 256))));
    const std::string stream = stream_of(rows, round % 10 == 0 ? random() % 50 : 0);
    // Cut into pieces of one byte, of a few bytes, of rows' size, or whole.
    const std::size_t piece = std::vector<std::size_t>{1, 7, 300, stream.size()}[round % 4];
    bool complete = false;
    CHECK(read_all(
              stream, fields, [&] { return 1 + random() % piece; }, &complete) == rows);
    CHECK(complete);
  }
}

TEST_CASE("a malformed binary COPY stream is refused by what is wrong",
          "[data][postgresql][format]") {
  const std::string good = stream_of({{Field("a"), Field()}});
  auto whole = [] { return std::size_t(1 << 20); };
  auto refused = [&](std::string stream, std::size_t fields = 2) {
    try {
      read_all(stream, fields, whole);
    } catch (const std::runtime_error& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  std::string bad = good;
  bad[0] = 'X';
  CHECK_THAT(refused(bad), Catch::Contains("no PGCOPY signature"));
  bad = good;
  bad[11] = 1;  // a critical flag
  CHECK_THAT(refused(bad), Catch::Contains("header flags"));
  CHECK_THAT(refused(good, 3), Catch::Contains("2 fields in a row of 3 columns"));
  bad = good;
  bad[19 + 2 + 4 + 1] = static_cast<char>(0xff);  // the second field's length: -1 -> -2 ...
  bad[19 + 2 + 4 + 1 + 3] = static_cast<char>(0xfe);
  CHECK_THAT(refused(bad), Catch::Contains("a field length of -2"));
  CHECK_THAT(refused(good + "z"), Catch::Contains("data after the trailer"));
  // A stream cut short is not complete: read_data reports "ended inside a row".
  bool complete = true;
  read_all(good.substr(0, good.size() - 3), 2, whole, &complete);
  CHECK_FALSE(complete);
  // Lengths beyond what is left wait for more bytes instead of reading past the buffer.
  bad = good.substr(0, 19 + 2);
  put32(bad, 1 << 30);
  CHECK(read_all(bad, 2, whole, &complete).empty());
  CHECK_FALSE(complete);
}

TEST_CASE("property: decode_binary_view gives decode_binary_field's value and refusals",
          "[data][postgresql][format]") {
  using Kind = migpkg::ir::ColumnType::Kind;
  using Form = postgresql_data::BinaryForm;
  auto type_of = [](Kind kind) {
    migpkg::ir::ColumnType type;
    type.kind = kind;
    if (kind == Kind::Decimal) type.precision = 38, type.scale = 4;
    return type;
  };
  auto big_endian = [](std::uint64_t v, std::size_t width) {
    std::string out;
    for (std::size_t i = width; i-- > 0;) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
  };
  // (form, column kind, width of a fixed-width send form; 0: any bytes)
  const std::vector<std::tuple<Form, Kind, std::size_t>> columns = {
      {Form::Bool, Kind::Bool, 1},           {Form::Int2, Kind::Int16, 2},
      {Form::Int4, Kind::Int32, 4},          {Form::Int8, Kind::Int64, 8},
      {Form::Timestamp, Kind::Timestamp, 8}, {Form::Timestamp, Kind::TimestampTz, 8},
      {Form::Date, Kind::Date, 4},           {Form::Float8, Kind::Float64, 8},
      {Form::Text, Kind::Text, 0},           {Form::Text, Kind::String, 0},
      {Form::Text, Kind::Char, 0},           {Form::Bytea, Kind::Bytes, 0}};
  std::mt19937_64 random(1207);
  std::string scratch;  // one, reused across every value, as visit_data reuses it
  for (int round = 0; round < 20000; ++round) {
    const auto& [form, kind, width] = columns[random() % columns.size()];
    const migpkg::ir::ColumnType type = type_of(kind);
    std::string bytes;
    if (width == 0) {
      bytes = std::string(random() % 40, ' ');
      for (char& c : bytes) c = static_cast<char>(random() % 3 ? 'a' + random() % 26 : random());
    } else {
      // Edge values (0, -1, extremes: infinity and BC timestamps) and any, at times a wrong width.
      const std::uint64_t edges[] = {0, ~0ULL, 1ULL << 63, (1ULL << 63) - 1, 1};
      std::uint64_t value = random() % 4 ? random() : edges[random() % 5];
      if (form == Form::Timestamp && random() % 2)
        value = static_cast<std::uint64_t>(
            static_cast<std::int64_t>(random() % 600000000000000000ULL) - 300000000000000000LL);
      bytes = big_endian(value, width);
      if (random() % 20 == 0) bytes.pop_back();
    }
    std::string expected, actual;
    try {
      expected = postgresql_data::decode_binary_field(bytes, form, type);
    } catch (const std::invalid_argument& error) {
      expected = std::string("refused: ") + error.what();
    }
    try {
      actual = std::string(postgresql_data::decode_binary_view(bytes, form, type, scratch));
    } catch (const std::invalid_argument& error) {
      actual = std::string("refused: ") + error.what();
    }
    INFO("form " << static_cast<int>(form) << ", kind " << static_cast<int>(kind));
    REQUIRE(actual == expected);
  }
}
