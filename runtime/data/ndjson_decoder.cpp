#include "runtime/data/ndjson_decoder.hpp"

#include "runtime/data/file_values.hpp"
#include "runtime/data/json_text.hpp"

namespace migpkg::data {
namespace {

using Kind = ir::ColumnType::Kind;

bool plain_text(Kind kind) {
  return kind == Kind::Text || kind == Kind::String || kind == Kind::Enum;
}

}  // namespace

NdjsonDecoder::NdjsonDecoder(const DataTable& table, std::string file)
    : table_(table), file_(std::move(file)), seen_(table.columns.size()) {
  for (std::size_t i = 0; i < table_.columns.size(); ++i) columns_[table_.columns[i].name] = i;
}

void NdjsonDecoder::read_row(std::string_view record, std::uint64_t line, Row& row) {
  const std::string where = file_ + ":" + std::to_string(line) + ": ";
  JsonCursor cursor(record);
  std::size_t column = table_.columns.size();  // the one being read, for messages
  auto fail = [&](const std::string& what) -> void {
    std::string at = column < table_.columns.size()
                         ? "column " + quoted_for_message(table_.columns[column].name) + ": "
                         : "";
    throw DecodeError(where + at + what);
  };
  row.assign(table_.columns.size(), std::nullopt);
  std::fill(seen_.begin(), seen_.end(), 0);
  try {
    cursor.expect('{');
    if (!cursor.accept('}')) {
      do {
        column = table_.columns.size();
        cursor.read_string(key_);
        auto found = columns_.find(key_);
        if (found == columns_.end())
          fail("key " + quoted_for_message(key_) + " is not a column of table " + table_.name);
        column = found->second;
        if (seen_[column]) fail("the key is there twice");
        seen_[column] = 1;
        cursor.expect(':');
        const ir::ColumnType& type = table_.columns[column].type;
        char next = cursor.peek();
        if (next == 'n') {
          cursor.read_literal();  // only null starts with 'n'
          continue;
        }
        std::string reason;
        if (type.kind == Kind::Bool) {
          if (next != 't' && next != 'f') fail("expected true or false");
          row[column] = cursor.read_literal() == 't' ? "true" : "false";
        } else if (written_as_embedded_json(type.kind)) {
          text_.clear();
          cursor.read_canonical_value(text_);
          if (type.kind == Kind::Json) {
            row[column] = text_;
          } else {
            reason = portable_from_file(type, text_, row[column].emplace());
          }
        } else if (next == '"') {
          if (written_as_json_number(type.kind) && type.kind != Kind::Float32 &&
              type.kind != Kind::Float64)
            fail("expected a number, not a string");
          cursor.read_string(text_);
          if (plain_text(type.kind)) {
            row[column] = text_;
          } else {
            if ((type.kind == Kind::Float32 || type.kind == Kind::Float64) && text_ != "NaN" &&
                text_ != "Infinity" && text_ != "-Infinity")
              fail("a float is a number, or one of the strings NaN, Infinity, -Infinity");
            reason = portable_from_file(type, text_, row[column].emplace());
          }
        } else if (next == '-' || (next >= '0' && next <= '9')) {
          if (!written_as_json_number(type.kind) && type.kind != Kind::Decimal)
            fail("expected a string, not a number");
          reason = portable_from_file(type, cursor.read_number(), row[column].emplace());
        } else {
          fail(written_as_json_number(type.kind) ? "expected a number" : "expected a string");
        }
        if (!reason.empty()) fail(reason);
      } while (cursor.accept(','));
      column = table_.columns.size();
      cursor.expect('}');
    }
    cursor.skip_space();
    if (!cursor.at_end()) cursor.fail("text after the row's object");
  } catch (const JsonSyntaxError& e) {
    fail(std::string(e.what()) + " at byte " + std::to_string(e.offset() + 1));
  }
  column = table_.columns.size();
  for (std::size_t i = 0; i < seen_.size(); ++i)
    if (!seen_[i]) fail("the row has no key " + quoted_for_message(table_.columns[i].name));
}

}  // namespace migpkg::data
