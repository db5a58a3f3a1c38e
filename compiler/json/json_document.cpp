#include "compiler/json/json_document.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "compiler/json/json_fast_dom.hpp"
#include "compiler/util/file_text.hpp"
#include "compiler/util/utf8.hpp"

namespace migpkg {

namespace {

using json = nlohmann::json;

// Builds the DOM like nlohmann's own SAX DOM parser, but stops at a nesting limit (so a
// 100,000-deep document is refused at depth 65 instead of built) and refuses duplicate keys,
// which nlohmann would otherwise resolve silently by keeping the last.
class GuardedDomBuilder : public nlohmann::detail::json_sax_dom_parser<json> {
  using Base = nlohmann::detail::json_sax_dom_parser<json>;

 public:
  GuardedDomBuilder(json& result, std::size_t max_depth)
      : Base(result, false), max_depth_(max_depth) {}

  bool start_object(std::size_t n) { return enter(false) && Base::start_object(n); }
  bool end_object() { return leave() && Base::end_object() && after_value(); }
  bool start_array(std::size_t n) { return enter(true) && Base::start_array(n); }
  bool end_array() { return leave() && Base::end_array() && after_value(); }
  bool key(std::string& k) {
    // Objects have a handful of members: a linear search of the keys seen so far beats a set,
    // which allocated a node per key (a fifth of the time of loading a JSON source).
    std::vector<std::string>& keys = frames_.back().keys;
    if (std::find(keys.begin(), keys.end(), k) != keys.end()) {
      keys.push_back(k);  // the pointer names the duplicate
      frames_.back().key = keys.size() - 1;
      problem_ = "duplicate key \"" + k + "\"";
      problem_code_ = "duplicate-key";
      problem_pointer_ = pointer();
      return false;
    }
    keys.push_back(k);
    frames_.back().key = keys.size() - 1;
    return Base::key(k);
  }
  bool null() { return Base::null() && after_value(); }
  bool boolean(bool v) { return Base::boolean(v) && after_value(); }
  bool number_integer(json::number_integer_t v) { return Base::number_integer(v) && after_value(); }
  bool number_unsigned(json::number_unsigned_t v) {
    return Base::number_unsigned(v) && after_value();
  }
  bool number_float(json::number_float_t v, const std::string& s) {
    return Base::number_float(v, s) && after_value();
  }
  bool string(std::string& v) { return Base::string(v) && after_value(); }
  bool binary(json::binary_t& v) { return Base::binary(v) && after_value(); }
  bool parse_error(std::size_t position, const std::string& /*token*/,
                   const nlohmann::detail::exception& e) {
    syntax_error_ = e.what();
    syntax_position_ = position;
    return false;
  }

  std::string problem_, problem_code_, problem_pointer_;
  std::string syntax_error_;
  std::size_t syntax_position_ = 0;

 private:
  struct Frame {
    bool array = false;
    std::size_t index = 0;          // arrays: index of the element being read
    std::size_t key = 0;            // objects: the member being read, in `keys`
    std::vector<std::string> keys;  // objects: the keys read so far
  };

  bool enter(bool array) {
    if (frames_.size() >= max_depth_) {
      problem_ = "nesting deeper than " + std::to_string(max_depth_) + " levels";
      problem_code_ = "too-deep";
      problem_pointer_ = pointer();
      return false;
    }
    frames_.push_back(Frame{array, 0, {}, {}});
    return true;
  }
  bool leave() {
    frames_.pop_back();
    return true;
  }
  bool after_value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  // The JSON pointer of the value being read now.
  std::string pointer() const {
    std::string out;
    for (const auto& frame : frames_)
      out += "/" + (frame.array          ? std::to_string(frame.index)
                    : frame.keys.empty() ? std::string()
                                         : escape_json_pointer_token(frame.keys[frame.key]));
    return out;
  }

  std::size_t max_depth_;
  std::vector<Frame> frames_;
};

}  // namespace

std::pair<int, int> line_column_at(const std::string& text, std::size_t offset) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::optional<json> parse_json_text(const std::string& text, const std::string& file,
                                    Diagnostics& diagnostics, const JsonLimits& limits) {
  SourceLocation where{file, "", 0, 0};
  if (text.size() > limits.max_bytes) {
    diagnostics.error("file-too-large", where,
                      "file is " + std::to_string(text.size()) + " bytes; the limit is " +
                          std::to_string(limits.max_bytes) + " bytes");
    return std::nullopt;
  }
  std::size_t bad = first_invalid_utf8(text);
  if (bad != std::string::npos) {
    auto [line, column] = line_column_at(text, bad);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    diagnostics.error("invalid-utf8", SourceLocation{file, "", line, column},
                      std::string("invalid UTF-8: byte ") + hex +
                          " cannot start or continue a "
                          "character here");
    return std::nullopt;
  }
  json root;
  // Valid documents of the usual kind take the fast path; everything else, errors included,
  // is parsed (again) by nlohmann's parser, whose messages the diagnostics are made from.
  if (parse_json_fast(text, limits.max_depth, root)) return root;
  root = json();
  GuardedDomBuilder builder(root, limits.max_depth);
  bool ok = json::sax_parse(text, &builder, json::input_format_t::json, true, false);
  if (ok) return root;
  if (!builder.problem_.empty()) {
    diagnostics.error(builder.problem_code_, SourceLocation{file, builder.problem_pointer_, 0, 0},
                      builder.problem_);
    return std::nullopt;
  }
  // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 3,
  // column 5: syntax error while parsing ..."; keep only what a user needs.
  std::string message = builder.syntax_error_;
  auto colon = message.find(": ");
  if (colon != std::string::npos) message = message.substr(colon + 2);
  auto [line, column] =
      line_column_at(text, builder.syntax_position_ ? builder.syntax_position_ - 1 : 0);
  diagnostics.error("invalid-json", SourceLocation{file, "", line, column},
                    "invalid JSON: " + message);
  return std::nullopt;
}

std::optional<json> read_json_file(const std::string& path, Diagnostics& diagnostics,
                                   const JsonLimits& limits) {
  SourceLocation where{path, "", 0, 0};
  FileText file = read_file_text(path, limits.max_bytes);
  if (!file.error) return parse_json_text(file.text, path, diagnostics, limits);
  switch (*file.error) {
    case FileTextError::NotRegular:
      diagnostics.error("cannot-read", where, "cannot read file: no such regular file");
      break;
    case FileTextError::TooLarge:
      diagnostics.error("file-too-large", where,
                        "file is " + std::to_string(file.size) + " bytes; the limit is " +
                            std::to_string(limits.max_bytes) + " bytes");
      break;
    case FileTextError::Unreadable:
      diagnostics.error("cannot-read", where, "cannot read file");
      break;
  }
  return std::nullopt;
}

}  // namespace migpkg
