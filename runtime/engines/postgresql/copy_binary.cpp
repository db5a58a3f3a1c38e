#include "runtime/engines/postgresql/copy_binary.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "runtime/data/portable_values.hpp"

namespace migpkg::runtime::postgresql_data {
namespace {

using Kind = ir::ColumnType::Kind;

// The built-in types' OIDs (src/include/catalog/pg_type.dat); fixed since PostgreSQL 7.
enum Oid : unsigned {
  kBool = 16,
  kBytea = 17,
  kInt8 = 20,
  kInt2 = 21,
  kInt4 = 23,
  kText = 25,
  kJson = 114,
  kFloat4 = 700,
  kFloat8 = 701,
  kBpchar = 1042,
  kVarchar = 1043,
  kDate = 1082,
  kTime = 1083,
  kTimestamp = 1114,
  kTimestampTz = 1184,
  kNumeric = 1700,
  kUuid = 2950,
  kJsonb = 3802,
};

[[noreturn]] void refuse(const std::string& reason) {
  throw std::invalid_argument(reason);
}

// A row's bytes gathered on the stack and appended to the chunk in one piece: one
// std::string::append a row rather than two or three a value (each a call into libstdc++; 4% of
// a copy's instructions in callgrind). A value too long for the buffer is appended directly.
class BinaryOut {
 public:
  explicit BinaryOut(std::string& out) : out_(out) {}
  BinaryOut(const BinaryOut&) = delete;
  BinaryOut& operator=(const BinaryOut&) = delete;
  void put(const char* data, std::size_t size) {
    if (size > static_cast<std::size_t>(bytes_ + sizeof bytes_ - at_)) {
      put_past(data, size);
      return;
    }
    std::memcpy(at_, data, size);
    at_ += size;
  }
  void flush() {
    out_.append(bytes_, static_cast<std::size_t>(at_ - bytes_));
    at_ = bytes_;
  }

 private:
  // Out of line: the rare case, which would keep put() from being inlined.
  __attribute__((noinline)) void put_past(const char* data, std::size_t size) {
    flush();
    if (size > sizeof bytes_ / 2) {
      out_.append(data, size);
      return;
    }
    std::memcpy(at_, data, size);
    at_ += size;
  }

  std::string& out_;
  char bytes_[512];
  char* at_ = bytes_;
};

// Network byte order.
void put8(BinaryOut& out, char v) {
  out.put(&v, 1);
}
void put16(BinaryOut& out, std::uint16_t v) {
  const char bytes[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  out.put(bytes, 2);
}
void put32(BinaryOut& out, std::uint32_t v) {
  const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 8), static_cast<char>(v)};
  out.put(bytes, 4);
}
void put64(BinaryOut& out, std::uint64_t v) {
  put32(out, static_cast<std::uint32_t>(v >> 32));
  put32(out, static_cast<std::uint32_t>(v));
}

std::int64_t integer(std::string_view text, std::int64_t low, std::int64_t high) {
  std::int64_t value = 0;
  if (!data::portable::parse_int64(text, value) || value < low || value > high)
    refuse("not an integer in the column's range");
  return value;
}

// A fixed-width run of digits (the caller checked the length).
int digits(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') refuse("not a date or time in portable form");
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Days from 2000-01-01 (PostgreSQL's epoch) to a proleptic Gregorian date (H. Hinnant's
// days_from_civil, shifted by the 10,957 days from 1970 to 2000).
std::int64_t days_since_2000(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') refuse("not a date (YYYY-MM-DD)");
  std::int64_t y = digits(date, 0, 4);
  const unsigned m = static_cast<unsigned>(digits(date, 5, 2));
  const unsigned d = static_cast<unsigned>(digits(date, 8, 2));
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468 - 10957;
}

// "HH:MM:SS[.f...]" (at most six fraction digits) -> microseconds since midnight.
std::int64_t microseconds_of_day(std::string_view time) {
  if (time.size() < 8 || time[2] != ':' || time[5] != ':') refuse("not a time (HH:MM:SS)");
  std::int64_t us =
      ((digits(time, 0, 2) * 60 + digits(time, 3, 2)) * 60LL + digits(time, 6, 2)) * 1000000;
  if (time.size() == 8) return us;
  const std::size_t fraction = time.size() - 9;
  if (time[8] != '.' || fraction < 1 || fraction > 6) refuse("not a time (HH:MM:SS.ffffff)");
  std::int64_t part = digits(time, 9, fraction);
  for (std::size_t i = fraction; i < 6; ++i) part *= 10;
  return us + part;
}

// "YYYY-MM-DDTHH:MM:SS[.ffffff]" with a trailing "Z" for a zoned one (the instant in UTC).
std::int64_t timestamp_microseconds(std::string_view text) {
  if (!text.empty() && text.back() == 'Z') text.remove_suffix(1);
  if (text.size() < 19 || text[10] != 'T') refuse("not a timestamp in portable form");
  return days_since_2000(text.substr(0, 10)) * 86400000000LL + microseconds_of_day(text.substr(11));
}

// numeric's send form: the digits in base 10,000 around the decimal point, most significant
// first, with the weight (10,000s exponent) of the first and the count of decimal fraction
// digits (dscale), as numeric_send writes them; zero groups at either end are left out.
void append_numeric(BinaryOut& out, std::string_view text) {
  bool negative = false;
  if (!text.empty() && text[0] == '-') negative = true, text.remove_prefix(1);
  const std::size_t point = text.find('.');
  std::string_view whole = text.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : text.substr(point + 1);
  if (whole.empty() || text.size() > 4096) refuse("not a decimal in portable form");
  for (std::string_view part : {whole, fraction})
    for (char c : part)
      if (c < '0' || c > '9') refuse("not a decimal in portable form");
  while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
  if (whole == "0") whole = "";

  // The groups: the whole part padded on the left, the fraction on the right, to 4 digits. On
  // the stack (at most 4,096 digits were let through, and 3 of padding on each side).
  struct Groups {
    std::uint16_t at[1030];
    std::size_t count = 0;
    void push_back(std::uint16_t group) { at[count++] = group; }
    std::size_t size() const { return count; }
    std::uint16_t operator[](std::size_t i) const { return at[i]; }
  } groups;
  const std::size_t lead = (4 - whole.size() % 4) % 4;
  std::uint16_t group = 0;
  std::size_t filled = lead;
  auto push = [&](char c) {
    group = static_cast<std::uint16_t>(group * 10 + (c - '0'));
    if (++filled == 4) groups.push_back(group), group = 0, filled = 0;
  };
  for (char c : whole) push(c);
  const std::size_t whole_groups = groups.size();
  for (char c : fraction) push(c);
  if (filled) {
    while (filled) push('0');
  }
  std::int32_t weight = static_cast<std::int32_t>(whole_groups) - 1;
  std::size_t first = 0, last = groups.size();
  while (first < last && groups[first] == 0) ++first, --weight;
  while (last > first && groups[last - 1] == 0) --last;
  if (first == last) weight = 0, negative = false;
  if (fraction.size() > 0x3FFF || weight < -0x8000 || weight > 0x7FFF)
    refuse("a decimal beyond PostgreSQL's numeric");

  const std::size_t count = last - first;
  put32(out, static_cast<std::uint32_t>(8 + 2 * count));
  put16(out, static_cast<std::uint16_t>(count));
  put16(out, static_cast<std::uint16_t>(static_cast<std::int16_t>(weight)));
  put16(out, negative ? 0x4000 : 0x0000);
  put16(out, static_cast<std::uint16_t>(fraction.size()));
  for (std::size_t i = first; i < last; ++i) put16(out, groups[i]);
}

template <typename Float>
Float floating(std::string_view text) {
  // "NaN", "Infinity", "-Infinity" are the portable spellings; from_chars reads them too.
  Float value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    refuse("not a floating-point number");
  return value;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_uuid(BinaryOut& out, std::string_view text) {
  if (text.size() != 36) refuse("not a UUID in portable form");
  char bytes[16];
  std::size_t count = 0;
  int high = -1;
  for (char c : text) {
    if (c == '-') continue;
    const int digit = hex_digit(c);
    if (digit < 0 || (count == 16 && high < 0)) refuse("not a UUID in portable form");
    if (high < 0) {
      high = digit;
    } else {
      bytes[count++] = static_cast<char>(high * 16 + digit);
      high = -1;
    }
  }
  if (count != 16 || high >= 0) refuse("not a UUID in portable form");
  put32(out, 16);
  out.put(bytes, 16);
}

void append_bytes(BinaryOut& out, std::string_view bytes) {
  if (bytes.size() > 0x3FFFFFFF) refuse("a value over 1 GB");
  put32(out, static_cast<std::uint32_t>(bytes.size()));
  out.put(bytes.data(), bytes.size());
}

}  // namespace

std::optional<BinaryForm> binary_form(const ir::ColumnType& type, unsigned oid, char kind) {
  switch (type.kind) {
    case Kind::Bool:
      if (oid == kBool) return BinaryForm::Bool;
      break;
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
      if (oid == kInt2) return BinaryForm::Int2;
      if (oid == kInt4) return BinaryForm::Int4;
      if (oid == kInt8) return BinaryForm::Int8;
      break;
    case Kind::Decimal:
      if (oid == kNumeric) return BinaryForm::Numeric;
      break;
    case Kind::Float32:
      if (oid == kFloat4) return BinaryForm::Float4;
      break;
    case Kind::Float64:
      if (oid == kFloat8) return BinaryForm::Float8;
      break;
    case Kind::Text:
    case Kind::String:
    case Kind::Char:
    case Kind::Enum:
      // An enum type's send form is its label's text.
      if (oid == kText || oid == kVarchar || oid == kBpchar || kind == 'e') return BinaryForm::Text;
      break;
    case Kind::Json:
      if (oid == kJson) return BinaryForm::Text;
      if (oid == kJsonb) return BinaryForm::Jsonb;
      break;
    case Kind::Bytes:
      if (oid == kBytea) return BinaryForm::Bytea;
      break;
    case Kind::Uuid:
      if (oid == kUuid) return BinaryForm::Uuid;
      break;
    case Kind::Date:
      if (oid == kDate) return BinaryForm::Date;
      break;
    case Kind::Time:
      if (oid == kTime) return BinaryForm::Time;
      break;
    case Kind::Timestamp:
      if (oid == kTimestamp) return BinaryForm::Timestamp;
      break;
    case Kind::TimestampTz:
      if (oid == kTimestampTz) return BinaryForm::Timestamp;
      break;
    case Kind::Vector:
      break;
  }
  return std::nullopt;
}

std::vector<std::optional<BinaryForm>> catalog_binary_forms(
    Connection& connection, const std::string& table,
    const std::vector<const data::DataColumn*>& columns) {
  ResultSet types = connection.query(
      "SELECT a.attname, coalesce(b.oid, t.oid)::int8, coalesce(b.typtype, t.typtype) "
      "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype "
      "WHERE a.attrelid = to_regclass(quote_ident($1)) AND a.attnum > 0 AND NOT a.attisdropped",
      {table});
  std::vector<std::optional<BinaryForm>> forms;
  for (const data::DataColumn* column : columns) {
    std::optional<BinaryForm> form;
    for (const auto& row : types.rows)
      if (row[0] == column->name && row[1] && row[2] && !row[2]->empty())
        form = binary_form(column->type, std::stoul(*row[1]), (*row[2])[0]);
    forms.push_back(form);
  }
  return forms;
}

void append_binary_header(std::string& out) {
  static const char signature[] = "PGCOPY\n\377\r\n";  // and its NUL: 11 bytes
  BinaryOut header(out);
  header.put(signature, 11);
  put32(header, 0);  // flags: no OIDs
  put32(header, 0);  // no header extension
  header.flush();
}

void append_binary_trailer(std::string& out) {
  BinaryOut trailer(out);
  put16(trailer, 0xFFFF);
  trailer.flush();
}

void append_binary_row(std::string& chunk, const std::vector<BinaryForm>& forms,
                       const data::Row& row) {
  if (row.size() != forms.size()) refuse("a row with the wrong number of values");
  BinaryOut out(chunk);
  put16(out, static_cast<std::uint16_t>(forms.size()));
  for (std::size_t i = 0; i < forms.size(); ++i) {
    if (!row[i]) {
      put32(out, 0xFFFFFFFF);
      continue;
    }
    const std::string& value = *row[i];
    switch (forms[i]) {
      case BinaryForm::Bool:
        put32(out, 1);
        put8(out, value == "true" ? '\1' : '\0');
        break;
      case BinaryForm::Int2:
        put32(out, 2);
        put16(out, static_cast<std::uint16_t>(integer(value, INT16_MIN, INT16_MAX)));
        break;
      case BinaryForm::Int4:
        put32(out, 4);
        put32(out, static_cast<std::uint32_t>(integer(value, INT32_MIN, INT32_MAX)));
        break;
      case BinaryForm::Int8:
        put32(out, 8);
        put64(out, static_cast<std::uint64_t>(integer(value, INT64_MIN, INT64_MAX)));
        break;
      case BinaryForm::Float4: {
        const float f = floating<float>(value);
        std::uint32_t bits;
        std::memcpy(&bits, &f, 4);
        put32(out, 4);
        put32(out, bits);
        break;
      }
      case BinaryForm::Float8: {
        const double d = floating<double>(value);
        std::uint64_t bits;
        std::memcpy(&bits, &d, 8);
        put32(out, 8);
        put64(out, bits);
        break;
      }
      case BinaryForm::Numeric:
        append_numeric(out, value);
        break;
      case BinaryForm::Text:
      case BinaryForm::Bytea:
        append_bytes(out, value);
        break;
      case BinaryForm::Jsonb:
        if (value.size() >= 0x3FFFFFFF) refuse("a value over 1 GB");
        put32(out, static_cast<std::uint32_t>(value.size() + 1));
        put8(out, '\1');  // jsonb_recv's format version
        out.put(value.data(), value.size());
        break;
      case BinaryForm::Date:
        put32(out, 4);
        put32(out, static_cast<std::uint32_t>(days_since_2000(value)));
        break;
      case BinaryForm::Time:
        put32(out, 8);
        put64(out, static_cast<std::uint64_t>(microseconds_of_day(value)));
        break;
      case BinaryForm::Timestamp:
        put32(out, 8);
        put64(out, static_cast<std::uint64_t>(timestamp_microseconds(value)));
        break;
      case BinaryForm::Uuid:
        append_uuid(out, value);
        break;
    }
  }
  out.flush();
}

}  // namespace migpkg::runtime::postgresql_data
