#pragma once
// A pull reader for JSON text the program wrote itself (stored plans): the caller asks for the
// value it expects next and gets it decoded, with no document tree in between. Reading a
// rollback's 500 stored plans through nlohmann's DOM cost more than the DROP statements they
// hold. Sources written by people go through json_document.hpp instead, which reports problems
// by JSON pointer; this reader only says what it expected and at which byte.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace migpkg {

class JsonReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JsonReader {
 public:
  enum class Kind { Object, Array, String, Number, Boolean, Null };

  explicit JsonReader(std::string_view text) : text_(text) {}

  Kind peek();
  // Objects: begin_object(), then next_member(key) until it returns false (at the closing
  // brace), reading or skipping each member's value in between.
  void begin_object();
  bool next_member(std::string& key);
  // Arrays: begin_array(), then next_element() until it returns false (at the bracket).
  void begin_array();
  bool next_element();

  std::string string();
  void string(std::string& out);  // the same into `out`, reusing its storage
  bool boolean();
  std::int64_t integer();
  bool null_if_next();  // consumes a null and says so, or leaves anything else
  void skip();          // any value
  void end();           // nothing but whitespace may follow

 private:
  [[noreturn]] void fail(const std::string& expected) const;
  void whitespace();
  bool consume(char c);
  void expect(char c, const char* what);
  bool next_item(char close);
  void literal(std::string_view word);
  std::uint32_t hex4();

  std::string_view text_;
  std::size_t at_ = 0;
  bool first_ = true;  // no item read yet in the container just opened
  int depth_ = 0;
};

}  // namespace migpkg
