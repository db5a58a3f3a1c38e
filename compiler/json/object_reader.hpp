#pragma once
// Reads one JSON object whose members are known in advance, reporting (not throwing) wrong
// types, missing required members, and unknown members with a "did you mean" hint. Every
// problem is reported, so a user sees all of a file's mistakes in one run.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/diagnostic.hpp"

namespace migpkg {

class ObjectReader {
 public:
  // `what` names the object in messages ("migration", "step"). If `value` is not an object,
  // an error is reported and ok() is false; every accessor then returns nothing.
  // `known_members` must outlive the reader (string literals do): a source has thousands of
  // objects, and copying every member name of each into strings was a tenth of loading it.
  ObjectReader(const nlohmann::json& value, SourceLocation where, Diagnostics& diagnostics,
               std::string what, std::vector<std::string_view> known_members);
  ~ObjectReader();  // reports unknown members

  bool ok() const { return object_ != nullptr; }
  bool has(std::string_view key) const;
  const SourceLocation& where() const { return where_; }
  SourceLocation at(std::string_view key) const { return where_.child(std::string(key)); }

  // Each returns nullopt/nullptr when absent (reporting it when required) or of the wrong
  // type (always reported).
  const nlohmann::json* value(std::string_view key, bool required = false);
  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key);
  const nlohmann::json* array(std::string_view key, bool required = false);
  const nlohmann::json* object(std::string_view key, bool required = false);

  // A case-insensitive enumeration member; returns the index into `names` (lower case).
  std::optional<std::size_t> enumeration(std::string_view key,
                                         const std::vector<std::string>& names,
                                         bool required = false);

 private:
  bool type_error(std::string_view key, const char* expected);

  const nlohmann::json* object_ = nullptr;
  SourceLocation where_;
  Diagnostics& diagnostics_;
  std::string what_;
  std::vector<std::string_view> known_;
};

// Name of a JSON value's type as users know it ("a string", "a number", ...).
const char* json_type_phrase(const nlohmann::json& value);

// The strings of a JSON array of strings; reports non-string elements.
std::vector<std::pair<std::string, SourceLocation>> read_string_array(const nlohmann::json& array,
                                                                      const SourceLocation& where,
                                                                      Diagnostics& diagnostics);

}  // namespace migpkg
