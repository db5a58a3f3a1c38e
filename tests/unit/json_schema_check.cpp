#include "unit/json_schema_check.hpp"

#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "compiler/ir/source_location.hpp"
#include "unit/test_support.hpp"

namespace migpkg::test {
namespace {

using nlohmann::json;

// Keywords that say something about the instance, and those that only annotate.
const std::set<std::string> kAssertions = {
    "type",         "enum",     "const",    "properties",  "required",  "additionalProperties",
    "items",        "minItems", "maxItems", "uniqueItems", "minLength", "maxLength",
    "pattern",      "minimum",  "maximum",  "$ref",        "allOf",     "anyOf",
    "oneOf",        "not",      "if",       "then",        "else",      "minProperties",
    "maxProperties"};
const std::set<std::string> kAnnotations = {
    "$schema", "$id", "$defs", "title", "description", "default", "examples", "$comment", "format"};

std::size_t code_points(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool has_type(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    if (value.is_number_integer()) return true;
    if (!value.is_number_float()) return false;
    double d = value.get<double>();
    return std::isfinite(d) && d == std::floor(d);
  }
  throw std::runtime_error("unknown JSON Schema type \"" + type + "\"");
}

// A $ref is either "#<pointer>" into the schema being read or "<file>#<pointer>" into a sibling
// file of schemas/ (the schemas' $ids all sit in one directory), which is then the document
// that the pointers of its own $refs mean. Returns the target and the document it is in.
std::pair<const json*, const json*> resolve_ref(const std::string& ref, const json& root,
                                                std::map<std::string, json>& siblings) {
  auto hash = ref.find('#');
  if (hash == std::string::npos) return {nullptr, nullptr};
  const json* document = &root;
  if (hash > 0) {
    std::string file = ref.substr(0, hash);
    if (file.find('/') != std::string::npos || !path_exists(source_dir() + "/schemas/" + file))
      return {nullptr, nullptr};
    auto loaded = siblings.find(file);
    if (loaded == siblings.end()) loaded = siblings.emplace(file, load_schema(file)).first;
    document = &loaded->second;
  }
  try {
    json::json_pointer pointer(ref.substr(hash + 1));
    if (!document->contains(pointer)) return {nullptr, nullptr};
    return {&document->at(pointer), document};
  } catch (const json::exception&) {
    return {nullptr, nullptr};
  }
}

class Checker {
 public:
  explicit Checker(const json& root) : root_(&root) {}

  void check(const json& schema, const json& value, const std::string& at,
             std::vector<std::string>& out) {
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) out.push_back(at + ": no value is allowed here");
      return;
    }
    if (!schema.is_object()) {
      out.push_back(at + ": the schema here is neither an object nor a boolean");
      return;
    }
    for (auto it = schema.begin(); it != schema.end(); ++it) {
      if (!kAssertions.count(it.key()) && !kAnnotations.count(it.key()))
        out.push_back(at + ": the schema uses \"" + it.key() +
                      "\", which the checker does not know");
    }
    if (auto ref = schema.find("$ref"); ref != schema.end()) {
      auto [target, document] = resolve_ref(ref->get<std::string>(), *root_, siblings_);
      if (target) {
        const json* outer = root_;
        root_ = document;
        check(*target, value, at, out);
        root_ = outer;
      } else {
        out.push_back(at + ": $ref " + ref->dump() + " leads nowhere");
      }
    }
    if (auto type = schema.find("type"); type != schema.end()) {
      bool ok = false;
      if (type->is_string()) {
        ok = has_type(value, type->get<std::string>());
      } else {
        for (const auto& t : *type) ok = ok || has_type(value, t.get<std::string>());
      }
      if (!ok) {
        out.push_back(at + ": " + value.type_name() + " where the schema wants " + type->dump());
        return;  // the other keywords would only repeat it
      }
    }
    if (auto options = schema.find("enum"); options != schema.end()) {
      bool found = false;
      for (const auto& option : *options) found = found || option == value;
      if (!found) out.push_back(at + ": " + value.dump() + " is not one of " + options->dump());
    }
    if (auto expected = schema.find("const"); expected != schema.end() && *expected != value)
      out.push_back(at + ": " + value.dump() + " is not " + expected->dump());
    if (value.is_object()) check_object(schema, value, at, out);
    if (value.is_array()) check_array(schema, value, at, out);
    if (value.is_string()) check_string(schema, value.get<std::string>(), at, out);
    if (value.is_number()) {
      if (auto minimum = schema.find("minimum");
          minimum != schema.end() && value.get<double>() < minimum->get<double>())
        out.push_back(at + ": " + value.dump() + " is below the minimum " + minimum->dump());
      if (auto maximum = schema.find("maximum");
          maximum != schema.end() && value.get<double>() > maximum->get<double>())
        out.push_back(at + ": " + value.dump() + " is above the maximum " + maximum->dump());
    }
    check_combinations(schema, value, at, out);
  }

 private:
  bool valid(const json& schema, const json& value) {
    std::vector<std::string> ignored;
    check(schema, value, "", ignored);
    return ignored.empty();
  }

  void check_object(const json& schema, const json& value, const std::string& at,
                    std::vector<std::string>& out) {
    const json* properties = nullptr;
    if (auto p = schema.find("properties"); p != schema.end()) properties = &*p;
    for (auto it = value.begin(); it != value.end(); ++it) {
      std::string child = at + "/" + escape_json_pointer_token(it.key());
      if (properties && properties->contains(it.key())) {
        check(properties->at(it.key()), it.value(), child, out);
      } else if (auto extra = schema.find("additionalProperties"); extra != schema.end()) {
        if (extra->is_boolean() && !extra->get<bool>())
          out.push_back(child + ": a member the schema does not allow");
        else
          check(*extra, it.value(), child, out);
      }
    }
    if (auto required = schema.find("required"); required != schema.end())
      for (const auto& name : *required)
        if (!value.contains(name.get<std::string>()))
          out.push_back(at + ": the required member \"" + name.get<std::string>() +
                        "\" is missing");
    check_count(schema, "minProperties", "maxProperties", value.size(), at,
                {"fewer", "more", "members"}, out);
  }

  // How a count is worded in messages: "<below> than N <unit>", "<above> than N <unit>".
  struct CountWords {
    const char* below;
    const char* above;
    const char* unit;
  };

  // The bounds `min_key` and `max_key` of a schema on a count (members, items, characters).
  static void check_count(const json& schema, const char* min_key, const char* max_key,
                          std::size_t count, const std::string& at, CountWords words,
                          std::vector<std::string>& out) {
    if (auto minimum = schema.find(min_key);
        minimum != schema.end() && count < minimum->get<std::size_t>())
      out.push_back(at + ": " + words.below + " than " + minimum->dump() + " " + words.unit);
    if (auto maximum = schema.find(max_key);
        maximum != schema.end() && count > maximum->get<std::size_t>())
      out.push_back(at + ": " + words.above + " than " + maximum->dump() + " " + words.unit);
  }

  void check_array(const json& schema, const json& value, const std::string& at,
                   std::vector<std::string>& out) {
    if (auto items = schema.find("items"); items != schema.end())
      for (std::size_t i = 0; i < value.size(); ++i)
        check(*items, value[i], at + "/" + std::to_string(i), out);
    check_count(schema, "minItems", "maxItems", value.size(), at, {"fewer", "more", "items"}, out);
    if (schema.value("uniqueItems", false))
      for (std::size_t i = 0; i < value.size(); ++i)
        for (std::size_t j = i + 1; j < value.size(); ++j)
          if (value[i] == value[j])
            out.push_back(at + ": items " + std::to_string(i) + " and " + std::to_string(j) +
                          " are equal, and the schema wants unique items");
  }

  void check_string(const json& schema, const std::string& text, const std::string& at,
                    std::vector<std::string>& out) {
    check_count(schema, "minLength", "maxLength", code_points(text), at,
                {"shorter", "longer", "characters"}, out);
    if (auto pattern = schema.find("pattern"); pattern != schema.end()) {
      const std::string& source = pattern->get_ref<const std::string&>();
      auto compiled = patterns_.find(source);
      if (compiled == patterns_.end())
        compiled = patterns_.emplace(source, std::regex(source, std::regex::ECMAScript)).first;
      if (!std::regex_search(text, compiled->second))
        out.push_back(at + ": " + json(text).dump() + " does not match " + pattern->dump());
    }
  }

  void check_combinations(const json& schema, const json& value, const std::string& at,
                          std::vector<std::string>& out) {
    if (auto all = schema.find("allOf"); all != schema.end())
      for (const auto& part : *all) check(part, value, at, out);
    if (auto any = schema.find("anyOf"); any != schema.end()) {
      bool one = false;
      for (const auto& part : *any) one = one || valid(part, value);
      if (!one) out.push_back(at + ": matches none of the anyOf alternatives");
    }
    if (auto one_of = schema.find("oneOf"); one_of != schema.end()) {
      int matches = 0;
      for (const auto& part : *one_of) matches += valid(part, value) ? 1 : 0;
      if (matches != 1)
        out.push_back(at + ": matches " + std::to_string(matches) +
                      " of the oneOf alternatives, not exactly one");
    }
    if (auto negated = schema.find("not"); negated != schema.end() && valid(*negated, value))
      out.push_back(at + ": matches the schema under \"not\"");
    if (auto condition = schema.find("if"); condition != schema.end()) {
      const char* branch = valid(*condition, value) ? "then" : "else";
      if (auto next = schema.find(branch); next != schema.end()) check(*next, value, at, out);
    }
  }

  const json* root_;  // the document the current schema's "#..." pointers point into
  std::map<std::string, json> siblings_;
  std::map<std::string, std::regex> patterns_;
};

// Every subschema of `schema`, with its path, for schema_problems.
void walk(const json& root, const json& schema, const std::string& path,
          std::map<std::string, json>& siblings, std::vector<std::string>& out) {
  if (schema.is_boolean()) return;
  if (!schema.is_object()) {
    out.push_back(path + ": not a schema");
    return;
  }
  for (auto it = schema.begin(); it != schema.end(); ++it) {
    const std::string& key = it.key();
    std::string here = path + "/" + escape_json_pointer_token(key);
    if (!kAssertions.count(key) && !kAnnotations.count(key))
      out.push_back(here + ": a keyword the checker does not know");
    if (key == "properties" || key == "$defs") {
      for (auto member = it->begin(); member != it->end(); ++member)
        walk(root, member.value(), here + "/" + escape_json_pointer_token(member.key()), siblings,
             out);
    } else if (key == "allOf" || key == "anyOf" || key == "oneOf") {
      for (std::size_t i = 0; i < it->size(); ++i)
        walk(root, (*it)[i], here + "/" + std::to_string(i), siblings, out);
    } else if (key == "items" || key == "additionalProperties" || key == "not" || key == "if" ||
               key == "then" || key == "else") {
      walk(root, *it, here, siblings, out);
    } else if (key == "$ref") {
      if (!resolve_ref(it->get<std::string>(), root, siblings).first)
        out.push_back(here + ": " + it->get<std::string>() + " leads nowhere");
    } else if (key == "pattern") {
      try {
        std::regex(it->get<std::string>(), std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        out.push_back(here + ": not a pattern std::regex reads (" + e.what() + ")");
      }
    }
  }
}

}  // namespace

std::vector<std::string> schema_violations(const json& schema, const json& instance) {
  std::vector<std::string> out;
  Checker(schema).check(schema, instance, "", out);
  return out;
}

std::vector<std::string> schema_problems(const json& schema) {
  std::vector<std::string> out;
  std::map<std::string, json> siblings;
  walk(schema, schema, "", siblings, out);
  return out;
}

std::vector<std::string> schema_violations_at(const json& document, const std::string& pointer,
                                              const json& instance) {
  std::vector<std::string> out;
  Checker(document).check(document.at(json::json_pointer(pointer)), instance, "", out);
  return out;
}

std::vector<std::string> schema_problems_at(const json& document, const std::string& pointer) {
  std::vector<std::string> out;
  std::map<std::string, json> siblings;
  walk(document, document.at(json::json_pointer(pointer)), pointer, siblings, out);
  return out;
}

json load_schema(const std::string& name) {
  return json::parse(read_file(source_dir() + "/schemas/" + name));
}

}  // namespace migpkg::test
