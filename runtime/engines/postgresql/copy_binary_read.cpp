#include "runtime/engines/postgresql/copy_binary_read.hpp"

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
std::string integer_text(std::string_view bytes) {
  if (bytes.size() != sizeof(Int)) refuse("an integer of the wrong width");
  const Int value = static_cast<Int>(big_endian(bytes.data(), sizeof(Int)));
  char text[24];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

}  // namespace

bool read_in_binary(const std::optional<BinaryForm>& form) {
  if (!form) return false;
  switch (*form) {
    case BinaryForm::Bool:
    case BinaryForm::Int2:
    case BinaryForm::Int4:
    case BinaryForm::Int8:
    case BinaryForm::Bytea:
    case BinaryForm::Uuid:
    case BinaryForm::Text:
    case BinaryForm::Jsonb:
      return true;
    default:
      return false;
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
    default:
      refuse("a type read as text was sent in binary");
  }
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
  row.clear();
  for (std::int16_t i = 0; i < count; ++i) {
    if (size - at < 4) return unfinished();
    const auto length = static_cast<std::int32_t>(big_endian(data + at, 4));
    at += 4;
    if (length == -1) {
      row.emplace_back(std::nullopt);
      continue;
    }
    if (length < 0) malformed("a field length of " + std::to_string(length));
    if (size - at < static_cast<std::size_t>(length)) return unfinished();
    row.emplace_back(std::string_view(data + at, static_cast<std::size_t>(length)));
    at += static_cast<std::size_t>(length);
  }
  at_ = at;
  return true;
}

}  // namespace migpkg::runtime::postgresql_data
