#pragma once
// Strict reading of the JSON documents migpkg signs (a package's manifest, a registry index, a
// key rotation statement): every member typed and bounded, no unknown members, and every
// problem a refusal (PackageError, exit 3) naming the file and the JSON pointer.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/package/package_error.hpp"

namespace migpkg::package {

class StrictObject {
 public:
  // `label` names the file; `what` the kind of document ("manifest", "index").
  StrictObject(const nlohmann::json& value, std::string pointer, std::string label,
               std::string what)
      : value_(value),
        pointer_(std::move(pointer)),
        label_(std::move(label)),
        what_(std::move(what)) {
    if (!value_.is_object()) fail(pointer_, "expected an object");
  }

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    refuse(label_ + ": invalid " + what_ + " at " + (pointer.empty() ? "/" : pointer) + ": " +
           message);
  }

  bool has(const std::string& name) const { return value_.contains(name); }

  const nlohmann::json& member(const std::string& name) {
    used_.insert(name);
    auto it = value_.find(name);
    if (it == value_.end()) fail(pointer_, "missing member '" + name + "'");
    return *it;
  }

  std::string text(const std::string& name, std::size_t max = 1024) {
    const auto& v = member(name);
    if (!v.is_string()) fail(pointer_ + "/" + name, "expected a string");
    auto s = v.get<std::string>();
    if (s.size() > max) fail(pointer_ + "/" + name, "longer than " + std::to_string(max));
    return s;
  }

  std::uint64_t unsigned_number(const std::string& name) {
    const auto& v = member(name);
    if (!v.is_number_unsigned()) fail(pointer_ + "/" + name, "expected a non-negative integer");
    return v.get<std::uint64_t>();
  }

  std::vector<std::string> text_list(const std::string& name) {
    const auto& v = member(name);
    if (!v.is_array()) fail(pointer_ + "/" + name, "expected an array");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string() || v[i].get<std::string>().size() > 1024)
        fail(pointer_ + "/" + name + "/" + std::to_string(i), "expected a string");
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }

  const nlohmann::json& array(const std::string& name) {
    const auto& v = member(name);
    if (!v.is_array()) fail(pointer_ + "/" + name, "expected an array");
    return v;
  }

  void no_unknown_members() const {
    for (auto it = value_.begin(); it != value_.end(); ++it)
      if (!used_.count(it.key()))
        fail(pointer_ + "/" + it.key(), "unknown member '" + it.key() + "'");
  }

  const std::string& pointer() const { return pointer_; }
  const std::string& label() const { return label_; }

 private:
  const nlohmann::json& value_;
  std::string pointer_, label_, what_;
  std::set<std::string> used_;
};

inline bool is_lower_hex(const std::string& s, std::size_t length) {
  if (s.size() != length) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace migpkg::package
