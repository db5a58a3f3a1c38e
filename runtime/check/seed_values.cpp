#include "runtime/check/seed_values.hpp"

#include <cstdio>
#include <limits>
#include <vector>

#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {
namespace {

using Kind = ir::ColumnType::Kind;

// Non-ASCII text in several scripts and widths (2-, 3- and 4-byte UTF-8), with quotes and a
// backslash that a careless quoting would break.
const char* const kNonAscii = "Grüße, 世界! Ωμέγα 🚀 'quoted' \"double\" back\\slash ñ";

// The first `count` characters (code points) of UTF-8 text.
std::string first_characters(const std::string& text, std::int64_t count) {
  std::size_t i = 0;
  for (std::int64_t seen = 0; i < text.size() && seen < count; ++seen) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return text.substr(0, i);
}

// `count` characters repeating "ab…z" and "é": long text that still has multi-byte characters.
std::string long_text(std::int64_t count) {
  std::string out;
  for (std::int64_t i = 0; i < count; ++i)
    out += i % 27 == 26 ? std::string("é") : std::string(1, static_cast<char>('a' + i % 27));
  return out;
}

std::int64_t string_length(const ir::ColumnType& type, std::int64_t fallback) {
  return type.length && *type.length > 0 ? *type.length : fallback;
}

// Days since 1970-01-01 to "yyyy-mm-dd" (Howard Hinnant's civil_from_days).
std::string date_of(std::int64_t days) {
  days += 719468;
  std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  std::int64_t doe = days - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  char out[48];
  std::snprintf(out, sizeof out, "%04lld-%02lld-%02lld", static_cast<long long>(y + (m <= 2)),
                static_cast<long long>(m), static_cast<long long>(d));
  return out;
}

std::string time_of(std::int64_t seconds) {
  char out[48];
  std::snprintf(out, sizeof out, "%02lld:%02lld:%02lld",
                static_cast<long long>(seconds / 3600 % 24),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  return out;
}

std::string hex(std::uint64_t value, int digits) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, value >>= 4)
    out[static_cast<std::size_t>(i)] = kDigits[value & 15];
  return out;
}

std::string uuid_of(std::uint64_t high, std::uint64_t low) {
  std::string h = hex(high, 16), l = hex(low, 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-8" + l.substr(1, 3) +
         "-" + l.substr(4, 12);
}

std::string bytes_of(const std::string& raw_hex, const Engine& engine) {
  return engine.bytes_value(raw_hex);
}

std::string boolean(bool value, const Engine& engine) {
  return value ? engine.spellings().true_literal : engine.spellings().false_literal;
}

// The largest value of decimal(p, s): p - s nines, a point and s nines.
std::string decimal_max(const ir::ColumnType& type) {
  std::int64_t precision = type.precision.value_or(18), scale = type.scale.value_or(4);
  if (!type.precision) scale = 4;
  std::string whole(static_cast<std::size_t>(precision - scale > 0 ? precision - scale : 0), '9');
  if (whole.empty()) whole = "0";
  return scale > 0 ? whole + "." + std::string(static_cast<std::size_t>(scale), '9') : whole;
}

std::vector<std::string> edges(const ir::ColumnType& type, const Engine& engine) {
  switch (type.kind) {
    case Kind::Bool:
      return {boolean(true, engine), boolean(false, engine)};
    case Kind::Int16:
      return {"-32768", "32767", "0"};
    case Kind::Int32:
    case Kind::Serial:
      return {"-2147483648", "2147483647", "0"};
    case Kind::Int64:
    case Kind::BigSerial:
      return {"-9223372036854775808", "9223372036854775807", "0"};
    case Kind::Decimal:
      return {decimal_max(type), "-" + decimal_max(type), "0"};
    case Kind::Float32:
      return {"3.4e+38", "-1.5", "0"};
    case Kind::Float64:
      return {"1.7e+308", "-2.2250738585072014e-308", "0"};
    case Kind::Text:
      return {"", kNonAscii, long_text(4000)};
    case Kind::String: {
      std::int64_t length = string_length(type, 255);
      return {"", first_characters(kNonAscii, length), long_text(length)};
    }
    case Kind::Char: {
      std::int64_t length = string_length(type, 1);
      return {long_text(length),
              first_characters(std::string(kNonAscii) + long_text(length), length)};
    }
    case Kind::Bytes:
      return {bytes_of("", engine), bytes_of("00ff7f80", engine)};
    case Kind::Uuid:
      return {"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-4fff-bfff-ffffffffffff"};
    case Kind::Json:
      return {"{}", "[]", "{\"text\": \"Grüße 🚀\", \"list\": [1, 2.5, null, true]}", "\"\"", "0"};
    case Kind::Date:
      return {"0001-01-01", "9999-12-31", "2000-02-29"};
    case Kind::Time:
      return {"00:00:00", "23:59:59"};
    case Kind::Timestamp:
      return {"0001-01-01 00:00:00", "9999-12-31 23:59:59", "2000-02-29 12:30:45.5"};
    case Kind::TimestampTz:
      return {"1970-01-01 00:00:00+00", "9999-12-31 23:59:59+00", "2000-02-29 12:30:45.5+00"};
    case Kind::Enum:
      return type.values.empty() ? std::vector<std::string>{""} : type.values;
    case Kind::Vector: {
      std::string out = "[";
      for (std::int64_t i = 0; i < string_length(type, 3); ++i)
        out += (i ? "," : "") + std::to_string(i);
      return {out + "]"};
    }
  }
  return {""};
}

}  // namespace

std::uint64_t SeedRandom::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t seed_hash(const std::string& text, std::uint64_t seed) {
  std::uint64_t hash = 1469598103934665603ULL ^ seed;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
  return hash;
}

std::size_t edge_value_count(const ir::ColumnType& type) {
  // The count is the same for every engine; SQLite is linked in (no module is loaded).
  return edges(type, engine_for(ir::Engine::SQLite)).size();
}

std::string edge_value(const ir::ColumnType& type, std::size_t which, const Engine& engine) {
  auto values = edges(type, engine);
  return values[which % values.size()];
}

std::string plain_value(const ir::ColumnType& type, SeedRandom& random, const Engine& engine) {
  auto number = [&](std::uint64_t bound) { return std::to_string(random.below(bound) + 1); };
  switch (type.kind) {
    case Kind::Bool:
      return boolean(random.below(2) == 1, engine);
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
      return number(1000);
    case Kind::Decimal: {
      std::int64_t scale = type.precision ? type.scale.value_or(0) : 2;
      std::int64_t whole_digits = type.precision.value_or(18) - scale;
      std::string whole = whole_digits > 0 ? number(whole_digits >= 3 ? 999 : 9) : "0";
      return scale > 0 ? whole + "." + std::to_string(random.below(10)) : whole;
    }
    case Kind::Float32:
    case Kind::Float64:
      return std::to_string(random.below(4000)) + ".25";
    case Kind::Text:
      return "text " + number(1000000);
    case Kind::String:
    case Kind::Char: {
      std::int64_t length = string_length(type, type.kind == Kind::Char ? 1 : 255);
      std::string text = "v" + number(1000000);
      if (type.kind == Kind::Char) text += long_text(length);
      return first_characters(text, length);
    }
    case Kind::Bytes:
      return bytes_of(hex(random.next(), 8), engine);
    case Kind::Uuid:
      return uuid_of(random.next(), random.next());
    case Kind::Json:
      return "{\"n\": " + number(1000) + "}";
    case Kind::Date:
      return date_of(static_cast<std::int64_t>(random.below(60000)));
    case Kind::Time:
      return time_of(static_cast<std::int64_t>(random.below(86400)));
    case Kind::Timestamp:
      return date_of(static_cast<std::int64_t>(random.below(60000))) + " " +
             time_of(static_cast<std::int64_t>(random.below(86400)));
    case Kind::TimestampTz:
      return date_of(static_cast<std::int64_t>(random.below(60000))) + " " +
             time_of(static_cast<std::int64_t>(random.below(86400))) + "+00";
    case Kind::Enum:
      return type.values.empty() ? "" : type.values[random.below(type.values.size())];
    case Kind::Vector:
      return edge_value(type, 0, engine);
  }
  return "";
}

namespace {

// n's last `length` base-36 digits (0-9a-z), at least one.
std::string base36_within(std::uint64_t n, std::int64_t length) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[n % 36]);
    n /= 36;
  } while (n && static_cast<std::int64_t>(out.size()) < length);
  return out;
}

}  // namespace

std::string unique_value(const ir::ColumnType& type, std::uint64_t n, const Engine& engine) {
  std::string digits = std::to_string(n);
  switch (type.kind) {
    case Kind::Bool:
      return boolean(n % 2 == 1, engine);
    case Kind::Decimal:
    case Kind::Float32:
    case Kind::Float64:
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
      return digits;
    case Kind::Text:
      return n % 2 ? "ключ " + digits : "key " + digits;
    case Kind::String:
    case Kind::Char: {
      std::int64_t length = string_length(type, type.kind == Kind::Char ? 1 : 255);
      std::string text = (n % 2 && length >= 8 ? "ключ" : "k") + digits;
      // A short key (a country or currency code) has no room for n's digits: n in base 36 within
      // the key's length instead. Numbers that meet there make a clash, which the insert skips.
      if (static_cast<std::int64_t>(digits.size()) > length) return base36_within(n, length);
      if (first_characters(text, length) != text) text = digits;
      if (type.kind == Kind::Char) text = first_characters(text + long_text(length), length);
      return text;
    }
    case Kind::Bytes:
      return bytes_of(hex(n, 16), engine);
    case Kind::Uuid:
      return uuid_of(n >> 32, n);
    case Kind::Json:
      return "{\"key\": " + digits + "}";
    case Kind::Date:
      return date_of(static_cast<std::int64_t>(n % 2900000));
    case Kind::Time:
      return time_of(static_cast<std::int64_t>(n % 86400));
    case Kind::Timestamp:
      return date_of(static_cast<std::int64_t>(n / 86400)) + " " +
             time_of(static_cast<std::int64_t>(n));
    case Kind::TimestampTz:
      return date_of(static_cast<std::int64_t>(n / 86400)) + " " +
             time_of(static_cast<std::int64_t>(n)) + "+00";
    case Kind::Enum:
      return type.values.empty() ? digits : type.values[n % type.values.size()];
    case Kind::Vector:
      return "[" + digits + "]";
  }
  return digits;
}

}  // namespace migpkg::runtime
