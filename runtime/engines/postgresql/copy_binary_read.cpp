#include "runtime/engines/postgresql/copy_binary_read.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "runtime/data/portable_values.hpp"
#include "runtime/engines/postgresql/data_values.hpp"

namespace migpkg::runtime::postgresql_data {
namespace {

[[noreturn]] void refuse(const std::string& reason) {
  throw std::invalid_argument(reason);
}

[[noreturn]] void malformed(const std::string& what) {
  throw std::runtime_error("the server's binary COPY stream is malformed: " + what);
}

// Network byte order.
std::uint64_t big_endian(const char* bytes, std::size_t size) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size; ++i)
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

template <typename Int>
Int fixed_width(std::string_view bytes, const char* what) {
  if (bytes.size() != sizeof(Int)) refuse(std::string(what) + " of the wrong width");
  return static_cast<Int>(big_endian(bytes.data(), sizeof(Int)));
}

template <typename Int>
std::string integer_text(std::string_view bytes) {
  const Int value = fixed_width<Int>(bytes, "an integer");
  char text[24];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

// `n` as exactly `width` digits (leading zeros) at `at`; the caller knows n < 10^width. Every
// decimal, date and timestamp read goes through here, so no temporaries.
void put_digits(char* at, std::uint64_t n, std::size_t width) {
  for (std::size_t i = width; i-- > 0; n /= 10) at[i] = static_cast<char>('0' + n % 10);
}

std::size_t digit_count(std::uint64_t n) {
  std::size_t count = 1;
  for (; n >= 10; n /= 10) ++count;
  return count;
}

// numeric_out: the send form's base-10,000 digits around the decimal point, `dscale` fraction
// digits (numeric.c, get_str_from_var).
std::string numeric_text(std::string_view bytes) {
  if (bytes.size() < 8) refuse("a numeric shorter than its header");
  const std::size_t count = big_endian(bytes.data(), 2);
  const auto weight = static_cast<std::int16_t>(big_endian(bytes.data() + 2, 2));
  const std::uint64_t sign = big_endian(bytes.data() + 4, 2);
  const std::size_t dscale = big_endian(bytes.data() + 6, 2);
  if (bytes.size() != 8 + 2 * count) refuse("a numeric whose length is not its digits'");
  if (sign == 0xC000) return "NaN";
  if (sign == 0xD000) return "Infinity";
  if (sign == 0xF000) return "-Infinity";
  if ((sign != 0 && sign != 0x4000) || dscale > 0x3FFF) refuse("a numeric with a bad header");
  for (std::size_t i = 0; i < count; ++i)
    if (big_endian(bytes.data() + 8 + 2 * i, 2) > 9999) refuse("a numeric digit over 9999");
  auto group = [&](long at) {
    return at >= 0 && at < static_cast<long>(count) ? big_endian(bytes.data() + 8 + 2 * at, 2) : 0;
  };
  // The first group without its leading zeros, then four digits a group.
  const std::size_t lead = weight < 0 ? 1 : digit_count(group(0));
  const std::size_t whole = weight < 0 ? 1 : lead + 4 * static_cast<std::size_t>(weight);
  std::string out((sign ? 1 : 0) + whole + (dscale ? 1 + dscale : 0), '0');
  char* at = out.data();
  if (sign) *at++ = '-';
  if (weight >= 0) {
    put_digits(at, group(0), lead);
    at += lead;
    for (long g = 1; g <= weight; ++g, at += 4) put_digits(at, group(g), 4);
  } else {
    ++at;  // "0"
  }
  if (dscale) {
    *at++ = '.';
    char* const end = out.data() + out.size();
    for (long g = weight + 1; at < end; ++g) {
      char four[4];
      put_digits(four, group(g), 4);
      const std::size_t take = std::min<std::size_t>(4, static_cast<std::size_t>(end - at));
      std::memcpy(at, four, take);
      at += take;
    }
  }
  return out;
}

constexpr std::int64_t kMicrosecondsPerDay = 86400000000LL;
constexpr std::int64_t kDaysFrom1970To2000 = 10957;
// Room for the longest date and time written below: a six-digit year, " BC" and "+00".
constexpr std::size_t kTimeRoom = 48;

// date_out in DateStyle ISO: YYYY-MM-DD, the year counted backwards from 1 BC before 1 AD
// (EncodeDateOnly). Returns the length written; `year` is the astronomical year (0 is 1 BC).
std::size_t put_date(char* at, std::int64_t days_since_2000, int& year) {
  int month = 0, day = 0;
  data::portable::civil_from_days(days_since_2000 + kDaysFrom1970To2000, year, month, day);
  const std::uint64_t shown = static_cast<std::uint64_t>(year > 0 ? year : 1 - std::int64_t{year});
  const std::size_t width = std::max<std::size_t>(4, digit_count(shown));
  put_digits(at, shown, width);
  at[width] = '-';
  put_digits(at + width + 1, static_cast<std::uint64_t>(month), 2);
  at[width + 3] = '-';
  put_digits(at + width + 4, static_cast<std::uint64_t>(day), 2);
  return width + 6;
}

// HH:MM:SS, then the fraction without its trailing zeros (AppendSeconds).
std::size_t put_time(char* at, std::int64_t microseconds) {
  put_digits(at, static_cast<std::uint64_t>(microseconds / 3600000000LL), 2);
  at[2] = ':';
  put_digits(at + 3, static_cast<std::uint64_t>(microseconds / 60000000 % 60), 2);
  at[5] = ':';
  put_digits(at + 6, static_cast<std::uint64_t>(microseconds / 1000000 % 60), 2);
  std::size_t length = 8;
  if (const std::int64_t fraction = microseconds % 1000000) {
    at[8] = '.';
    put_digits(at + 9, static_cast<std::uint64_t>(fraction), 6);
    length = 15;
    while (at[length - 1] == '0') --length;
  }
  return length;
}

// A timestamp's date and time of day with `separator` between them.
std::size_t put_timestamp(char* at, std::int64_t microseconds, char separator, int& year) {
  std::int64_t days = microseconds / kMicrosecondsPerDay;
  std::int64_t of_day = microseconds % kMicrosecondsPerDay;
  if (of_day < 0) of_day += kMicrosecondsPerDay, --days;
  std::size_t length = put_date(at, days, year);
  at[length++] = separator;
  return length + put_time(at + length, of_day);
}

std::string date_text(std::string_view bytes) {
  const auto days = fixed_width<std::int32_t>(bytes, "a date");
  if (days == INT32_MIN) return "-infinity";
  if (days == INT32_MAX) return "infinity";
  char text[kTimeRoom];
  int year = 0;
  const std::size_t length = put_date(text, days, year);
  return std::string(text, length) + (year <= 0 ? " BC" : "");
}

std::string time_text(std::string_view bytes) {
  const auto microseconds = fixed_width<std::int64_t>(bytes, "a time");
  if (microseconds < 0 || microseconds > kMicrosecondsPerDay) refuse("a time outside a day");
  char text[kTimeRoom];
  return std::string(text, put_time(text, microseconds));
}

// timestamp_out and timestamptz_out (the instant in UTC, the session's zone): date, a space,
// time, "+00" for timestamptz, " BC" (EncodeDateTime).
std::string timestamp_text(std::string_view bytes, bool zoned) {
  const auto microseconds = fixed_width<std::int64_t>(bytes, "a timestamp");
  if (microseconds == INT64_MIN) return "-infinity";
  if (microseconds == INT64_MAX) return "infinity";
  char text[kTimeRoom];
  int year = 0;
  const std::size_t length = put_timestamp(text, microseconds, ' ', year);
  return std::string(text, length) + (zoned ? "+00" : "") + (year <= 0 ? " BC" : "");
}

// The portable form of a date or timestamp written straight from its send form, when its year
// is one the portable form has (0001-9999); nullopt for the others (infinity, BC, 10000 and
// later), which decode_binary_field reads from their text, to be refused as the text format was.
std::optional<std::string> portable_date(std::string_view bytes) {
  const auto days = fixed_width<std::int32_t>(bytes, "a date");
  if (days == INT32_MIN || days == INT32_MAX) return std::nullopt;
  char text[kTimeRoom];
  int year = 0;
  const std::size_t length = put_date(text, days, year);
  if (year < 1 || year > 9999) return std::nullopt;
  return std::string(text, length);
}

// Written at `at` (kTimeRoom bytes): returns its length.
std::optional<std::size_t> put_portable_timestamp(char* at, std::string_view bytes, bool zoned) {
  const auto microseconds = fixed_width<std::int64_t>(bytes, "a timestamp");
  if (microseconds == INT64_MIN || microseconds == INT64_MAX) return std::nullopt;
  int year = 0;
  std::size_t length = put_timestamp(at, microseconds, 'T', year);
  if (year < 1 || year > 9999) return std::nullopt;
  if (zoned) at[length++] = 'Z';
  return length;
}

}  // namespace

std::string output_text(std::string_view bytes, BinaryForm form, const ir::ColumnType& type) {
  switch (form) {
    case BinaryForm::Numeric:
      return numeric_text(bytes);
    case BinaryForm::Date:
      return date_text(bytes);
    case BinaryForm::Time:
      return time_text(bytes);
    case BinaryForm::Timestamp:
      return timestamp_text(bytes, type.kind == ir::ColumnType::Kind::TimestampTz);
    default:
      return decode_binary_field(bytes, form, type);
  }
}

std::string decode_binary_field(std::string_view bytes, BinaryForm form,
                                const ir::ColumnType& type) {
  switch (form) {
    case BinaryForm::Bool:
      if (bytes.size() != 1) refuse("a boolean that is not one byte");
      return bytes[0] ? "true" : "false";
    case BinaryForm::Int2:
      return integer_text<std::int16_t>(bytes);
    case BinaryForm::Int4:
      return integer_text<std::int32_t>(bytes);
    case BinaryForm::Int8:
      return integer_text<std::int64_t>(bytes);
    case BinaryForm::Bytea:
      return std::string(bytes);
    case BinaryForm::Uuid:
      if (bytes.size() != 16) refuse("a uuid that is not 16 bytes");
      return data::portable::uuid_from_bytes(bytes);
    case BinaryForm::Text:
      // text, varchar, bpchar (its padding removed), enum labels and json: as their text reads.
      return read_value(bytes, type);
    case BinaryForm::Jsonb:
      // jsonb_send: a version byte (1), then the text jsonb_out writes.
      if (bytes.empty() || bytes[0] != 1) refuse("jsonb in a send format other than version 1");
      return read_value(bytes.substr(1), type);
    case BinaryForm::Float4: {
      const auto bits = fixed_width<std::uint32_t>(bytes, "a float4");
      float value;
      std::memcpy(&value, &bits, sizeof value);
      return data::portable::shortest_float(value);
    }
    case BinaryForm::Float8: {
      const auto bits = fixed_width<std::uint64_t>(bytes, "a float8");
      double value;
      std::memcpy(&value, &bits, sizeof value);
      return data::portable::shortest_double(value);
    }
    case BinaryForm::Date:
      if (std::optional<std::string> date = portable_date(bytes)) return *date;
      break;
    case BinaryForm::Time:
      if (fixed_width<std::int64_t>(bytes, "a time") < kMicrosecondsPerDay)
        return time_text(bytes);  // 24:00:00, which the portable form has not, is refused below
      break;
    case BinaryForm::Timestamp: {
      char text[kTimeRoom];
      if (std::optional<std::size_t> length =
              put_portable_timestamp(text, bytes, type.kind == ir::ColumnType::Kind::TimestampTz))
        return std::string(text, *length);
      break;
    }
    case BinaryForm::Numeric:
      break;
  }
  // A decimal, and the dates and times not written above: the text the server's output
  // function prints, read as the text format reads it (the same portable value and the same
  // refusals: a BC date, infinity, a numeric NaN).
  return read_value(output_text(bytes, form, type), type);
}

// Visit_data's decoding (verify's read-back): the value views the text or bytes as they lie in
// libpq's piece, or the scratch string its digits were written into, so that no value allocates
// (the bench's 5M-row read-back: a fifth less client time). The values it does not write
// itself are decode_binary_field's.
std::string_view decode_binary_view(std::string_view bytes, BinaryForm form,
                                    const ir::ColumnType& type, std::string& scratch) {
  using Kind = ir::ColumnType::Kind;
  auto integer = [&](auto value) {
    scratch.resize(24);
    const char* end = std::to_chars(scratch.data(), scratch.data() + scratch.size(), value).ptr;
    return std::string_view(scratch.data(), static_cast<std::size_t>(end - scratch.data()));
  };
  switch (form) {
    case BinaryForm::Bytea:
      return bytes;
    case BinaryForm::Text:
      // read_value keeps these as they are (a bpchar loses its padding, json is made canonical).
      if (type.kind == Kind::Text || type.kind == Kind::String || type.kind == Kind::Enum)
        return bytes;
      break;
    case BinaryForm::Bool:
      if (bytes.size() != 1) refuse("a boolean that is not one byte");
      return bytes[0] ? "true" : "false";
    case BinaryForm::Int2:
      return integer(fixed_width<std::int16_t>(bytes, "an integer"));
    case BinaryForm::Int4:
      return integer(fixed_width<std::int32_t>(bytes, "an integer"));
    case BinaryForm::Int8:
      return integer(fixed_width<std::int64_t>(bytes, "an integer"));
    case BinaryForm::Timestamp:
      scratch.resize(kTimeRoom);
      if (std::optional<std::size_t> length =
              put_portable_timestamp(scratch.data(), bytes, type.kind == Kind::TimestampTz))
        return std::string_view(scratch.data(), *length);
      break;
    default:
      break;
  }
  scratch = decode_binary_field(bytes, form, type);
  return scratch;
}

void BinaryCopyRows::feed(const char* data, std::size_t size) {
  if (ended_ && size > 0) malformed("data after the trailer");
  if (carried_.empty()) {
    view_ = std::string_view(data, size);
  } else {
    carried_.append(data, size);
    view_ = carried_;
  }
  at_ = 0;
}

bool BinaryCopyRows::unfinished() {
  if (view_.data() == carried_.data())
    carried_.erase(0, at_);
  else
    carried_.assign(view_.substr(at_));
  view_ = {};
  at_ = 0;
  return false;
}

bool BinaryCopyRows::header() {
  // "PGCOPY\n\377\r\n\0", 32-bit flags, 32-bit length of a header extension, the extension.
  static const char signature[] = "PGCOPY\n\377\r\n";
  if (view_.size() - at_ < 19) return false;
  const char* data = view_.data() + at_;
  if (std::memcmp(data, signature, 11) != 0) malformed("no PGCOPY signature");
  const std::uint64_t flags = big_endian(data + 11, 4);
  // Bit 16 says OIDs follow in each row; bits 17-31 are critical flags a reader must know.
  if (flags & 0xffff0000u) malformed("header flags " + std::to_string(flags));
  const std::uint64_t extension = big_endian(data + 15, 4);
  if (extension > (1u << 20)) malformed("a header extension of " + std::to_string(extension));
  if (view_.size() - at_ < 19 + extension) return false;
  at_ += 19 + extension;
  started_ = true;
  return true;
}

bool BinaryCopyRows::next(std::vector<std::optional<std::string_view>>& row) {
  if (view_.empty()) return false;
  if (!started_ && !header()) return unfinished();
  const char* data = view_.data();
  const std::size_t size = view_.size();
  std::size_t at = at_;
  if (size - at < 2) return unfinished();
  const auto count = static_cast<std::int16_t>(big_endian(data + at, 2));
  at += 2;
  if (count == -1) {
    if (at != size) malformed("data after the trailer");
    ended_ = true;
    carried_.clear();
    view_ = {};
    at_ = 0;
    return false;
  }
  if (count < 0 || static_cast<std::size_t>(count) != fields_)
    malformed(std::to_string(count) + " fields in a row of " + std::to_string(fields_) +
              " columns");
  // Sized once (a no-op from the second row on) and filled by index: emplace_back's capacity
  // check and size update for each field were most of this function's instructions.
  row.resize(fields_);
  for (std::size_t i = 0; i < fields_; ++i) {
    if (size - at < 4) return unfinished();
    const auto length = static_cast<std::int32_t>(big_endian(data + at, 4));
    at += 4;
    if (length == -1) {
      row[i].reset();
      continue;
    }
    if (length < 0) malformed("a field length of " + std::to_string(length));
    if (size - at < static_cast<std::size_t>(length)) return unfinished();
    // Built in place: a string_view made on the stack and copied in was stored as two 8-byte
    // halves and loaded as one 16-byte value (perf: a store-forwarding stall on that load).
    row[i].emplace(data + at, static_cast<std::size_t>(length));
    at += static_cast<std::size_t>(length);
  }
  at_ = at;
  return true;
}

}  // namespace migpkg::runtime::postgresql_data
