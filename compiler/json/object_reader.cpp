#include "compiler/json/object_reader.hpp"

#include <algorithm>
#include <cctype>

namespace migpkg {

using json = nlohmann::json;

const char* json_type_phrase(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "a value";
  }
}

ObjectReader::ObjectReader(const json& value, SourceLocation where, Diagnostics& diagnostics,
                           std::string what, std::vector<std::string_view> known_members)
    : where_(std::move(where)),
      diagnostics_(diagnostics),
      what_(std::move(what)),
      known_(std::move(known_members)) {
  if (value.is_object())
    object_ = &value;
  else
    diagnostics_.error(
        "wrong-type", where_,
        "expected the " + what_ + " to be an object, found " + json_type_phrase(value));
}

ObjectReader::~ObjectReader() {
  if (!object_) return;
  for (const auto& item : object_->items()) {
    if (std::find(known_.begin(), known_.end(), item.key()) != known_.end()) continue;
    std::string suggestion =
        closest_match(item.key(), std::vector<std::string>(known_.begin(), known_.end()));
    diagnostics_.error("unknown-field", at(item.key()),
                       "unknown field \"" + item.key() + "\" in " + what_,
                       suggestion.empty() ? "" : "did you mean \"" + suggestion + "\"?");
  }
}

bool ObjectReader::has(std::string_view key) const {
  return object_ && object_->find(key) != object_->end();
}

bool ObjectReader::type_error(std::string_view key, const char* expected) {
  diagnostics_.error("wrong-type", at(key),
                     "\"" + std::string(key) + "\" must be " + expected + ", found " +
                         json_type_phrase(*object_->find(key)));
  return false;
}

const json* ObjectReader::value(std::string_view key, bool required) {
  if (!object_) return nullptr;
  auto it = object_->find(key);
  if (it == object_->end()) {
    if (required)
      diagnostics_.error("missing-field", where_,
                         "missing required field \"" + std::string(key) + "\" in " + what_);
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> ObjectReader::string(std::string_view key, bool required) {
  const json* v = value(key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    type_error(key, "a string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> ObjectReader::boolean(std::string_view key) {
  const json* v = value(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    type_error(key, "true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> ObjectReader::integer(std::string_view key) {
  const json* v = value(key);
  if (!v) return std::nullopt;
  // nlohmann reads every non-negative integer as unsigned; above INT64_MAX it would wrap.
  bool too_large =
      v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX);
  if (v->is_number_integer() && !too_large) return v->get<std::int64_t>();
  if (too_large) {
    diagnostics_.error("out-of-range", at(key), "\"" + std::string(key) + "\" is too large");
    return std::nullopt;
  }
  type_error(key, "an integer");
  return std::nullopt;
}

const json* ObjectReader::array(std::string_view key, bool required) {
  const json* v = value(key, required);
  if (v && !v->is_array()) {
    type_error(key, "an array");
    return nullptr;
  }
  return v;
}

const json* ObjectReader::object(std::string_view key, bool required) {
  const json* v = value(key, required);
  if (v && !v->is_object()) {
    type_error(key, "an object");
    return nullptr;
  }
  return v;
}

std::optional<std::size_t> ObjectReader::enumeration(std::string_view key,
                                                     const std::vector<std::string>& names,
                                                     bool required) {
  auto text = string(key, required);
  if (!text) return std::nullopt;
  std::string lower = *text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == lower) return i;
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  std::string suggestion = closest_match(lower, names);
  diagnostics_.error("invalid-value", at(key),
                     "\"" + std::string(key) + "\" is \"" + *text + "\"; expected one of " + list,
                     suggestion.empty() ? "" : "did you mean \"" + suggestion + "\"?");
  return std::nullopt;
}

std::vector<std::pair<std::string, SourceLocation>> read_string_array(const json& array,
                                                                      const SourceLocation& where,
                                                                      Diagnostics& diagnostics) {
  std::vector<std::pair<std::string, SourceLocation>> out;
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (array[i].is_string())
      out.emplace_back(array[i].get<std::string>(), where.child(i));
    else
      diagnostics.error("wrong-type", where.child(i),
                        std::string("expected a string, found ") + json_type_phrase(array[i]));
  }
  return out;
}

}  // namespace migpkg
