#pragma once
// A streaming JSON writer: members and elements are appended to a string as they are given, in
// the order given, with no tree in between. It writes exactly the bytes nlohmann's dump() (or
// dump(indent)) writes for the same ordered document, so checksums over canonical JSON and
// byte-reproducible packages do not depend on which of the two produced the text. It exists
// because building an ordered_json tree only to dump it cost more than the SQL it describes:
// every applied migration's plan and every checksum went through one.
//
// The caller keeps the structure right (a key before each object member, balanced begin/end);
// a mistake is a programming error, caught by assertions in debug builds.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/util/process_memory.hpp"

namespace migpkg {

class JsonWriter {
 public:
  // indent < 0: compact, as dump(); indent >= 0: as dump(indent).
  explicit JsonWriter(int indent = -1) : indent_(indent) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  // A key given as a string literal: one of migpkg's own member names, plain ASCII that needs
  // no escaping (asserted in debug builds), so it is copied without the escape scan. Plans
  // write millions of keys.
  template <std::size_t N>
  JsonWriter& key(const char (&name)[N]) {
    return literal_key(std::string_view(name, N - 1));
  }

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(double number);
  JsonWriter& null();
  template <typename Integer, typename = std::enable_if_t<std::is_integral_v<Integer> &&
                                                          !std::is_same_v<Integer, bool>>>
  JsonWriter& value(Integer number) {
    if constexpr (std::is_signed_v<Integer>)
      return integer(static_cast<std::int64_t>(number));
    else
      return integer(static_cast<std::uint64_t>(number));
  }
  // Any document, written in place (a JSON default value, a parsed fragment).
  JsonWriter& value(const nlohmann::ordered_json& document);
  JsonWriter& value(const nlohmann::json& document);
  JsonWriter& value(const std::vector<std::string>& texts);

  // key(name) then value(v).
  template <typename T>
  JsonWriter& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  template <std::size_t N, typename T>
  JsonWriter& member(const char (&name)[N], const T& v) {
    key(name);
    return value(v);
  }

  // Room for `bytes` of text in all, allocated now (a hint: the text still grows past it).
  void reserve_total(std::size_t bytes) {
    if (bytes <= out_.size()) return;
    reserve_large_text(out_, bytes);
    out_.resize(bytes);
  }
  // How much text fits before the next growth.
  std::size_t capacity() const { return out_.size(); }

  std::string_view text() const { return {out_.data(), size_}; }
  std::string take() {
    out_.resize(size_);
    size_ = 0;
    return std::move(out_);
  }

 private:
  // Writes what goes before a value, key or container at the current position: the comma
  // after the previous sibling and, when indenting, the newline and indentation.
  void separate();
  JsonWriter& literal_key(std::string_view name);
  void newline(std::size_t depth);
  JsonWriter& integer(std::int64_t number);
  JsonWriter& integer(std::uint64_t number);
  template <typename Number>
  JsonWriter& digits(Number number);
  JsonWriter& close(char bracket);
  template <typename Document>
  JsonWriter& document(const Document& document);
  void escaped(std::string_view text);
  // Appending without a call into libstdc++ per piece (std::string's append is not inlined):
  // out_ is grown ahead, and size_ says how much of it is written.
  void put(char c) {
    if (size_ == out_.size()) grow(1);
    out_.data()[size_++] = c;
  }
  void put(std::string_view text) {
    reserve(text.size());
    std::memcpy(out_.data() + size_, text.data(), text.size());
    size_ += text.size();
  }
  void reserve(std::size_t room) {
    if (out_.size() - size_ < room) grow(room);
  }
  void grow(std::size_t at_least);
  // What escaped() may write past the bytes it keeps, at most, in one step.
  static constexpr std::size_t kSlack = 16;

  std::string out_;
  std::size_t size_ = 0;
  int indent_;
  // One entry per open container: whether it has a member or element yet (bytes, not
  // vector<bool>'s bits: this is looked at before every item).
  std::vector<char> has_items_;
  bool after_key_ = false;
};

}  // namespace migpkg
