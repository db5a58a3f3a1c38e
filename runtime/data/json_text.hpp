#pragma once
// The JSON pieces the NDJSON table files need, without a DOM: writing a string with the
// escapes JSON requires, and reading one value from untrusted text (a string, a number token,
// or an embedded JSON value turned into the portable form: compact, object keys sorted).
// The DOM of nlohmann::json per row cost the export of a 5M-row table several times the
// encoding itself, and its numbers go through double, which 64-bit integers must not.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace migpkg::data {

// Appends `text` as a JSON string: '"', '\\' and control characters escaped (\n, \t, ...,
// \u0000), everything else as is. Returns false, appending nothing useful, when `text` is not
// valid UTF-8 (JSON cannot hold it).
bool append_json_string(std::string& out, std::string_view text);

// What is wrong where, in the text a JsonCursor reads.
class JsonSyntaxError : public std::runtime_error {
 public:
  JsonSyntaxError(std::size_t offset, const std::string& what)
      : std::runtime_error(what), offset_(offset) {}
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

// Reads JSON from one line of text, strictly (RFC 8259: no comments, no trailing commas, no
// leading zeros, strings valid UTF-8 without raw control characters). Nesting is bounded.
class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text) : text_(text) {}
  std::size_t offset() const { return at_; }
  bool at_end() const { return at_ >= text_.size(); }
  void skip_space();
  // Consumes `c` (after white space) or throws "expected 'c'".
  void expect(char c);
  // Consumes `c` (after white space) when it is next.
  bool accept(char c);
  char peek();  // the next character after white space, '\0' at the end
  // A string value, unescaped, replacing `out`.
  void read_string(std::string& out);
  // A number token as written (validated against JSON's number grammar).
  std::string_view read_number();
  // true, false or null: which one ('t', 'f', 'n'), or throws.
  char read_literal();
  // Any JSON value, appended to `out` in the portable form: compact, object keys sorted by
  // their bytes, strings escaped as append_json_string does, numbers as written.
  void read_canonical_value(std::string& out, int depth = 0);
  [[noreturn]] void fail(const std::string& what) const { throw JsonSyntaxError(at_, what); }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

// The portable form of the JSON text `text` (one value, white space around it allowed).
std::string canonical_json(std::string_view text);

// Whether `text` is a JSON number exactly as JSON writes one.
bool is_json_number(std::string_view text);

}  // namespace migpkg::data
