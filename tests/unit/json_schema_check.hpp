#pragma once
// A JSON Schema (draft 2020-12) checker for the keywords the schemas in schemas/ use, so the
// tests can hold what migpkg writes (status, history, run reports, plans, manifests, converted
// sources) to what those files promise its users. Debian 12 packages no C++ validator for draft
// 2020-12 (RapidJSON's knows draft 4); this one knows only what our schemas need and treats any
// other keyword as an error, so a schema can never rely on a keyword the checker would skip.
//
// Supported: type, enum, const, properties, required, additionalProperties, minProperties,
// maxProperties, items, minItems, maxItems, uniqueItems, minLength, maxLength (in code points),
// pattern (ECMAScript, unanchored as the specification says), minimum, maximum, $ref (to a JSON
// pointer in the same document or in a sibling file of schemas/), allOf, anyOf, oneOf, not,
// if/then/else. Annotations ($schema, $id, $defs, title, description, default, examples, $comment,
// format) are not checked.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace migpkg::test {

// What in `instance` breaks `schema`, one message per violation: "<JSON pointer>: <what>". Empty
// when the instance is valid.
std::vector<std::string> schema_violations(const nlohmann::json& schema,
                                           const nlohmann::json& instance);

// What in `schema` itself the checker cannot check: unsupported keywords and $refs that lead
// nowhere, each with its path in the schema.
std::vector<std::string> schema_problems(const nlohmann::json& schema);

// The same for the schema at `pointer` inside `document` (an OpenAPI document's response
// schemas), whose "#/..." $refs point into `document`.
std::vector<std::string> schema_violations_at(const nlohmann::json& document,
                                              const std::string& pointer,
                                              const nlohmann::json& instance);
std::vector<std::string> schema_problems_at(const nlohmann::json& document,
                                            const std::string& pointer);

// The schema schemas/<name> of the source tree.
nlohmann::json load_schema(const std::string& name);

}  // namespace migpkg::test
