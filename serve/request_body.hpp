#pragma once
// The JSON bodies of the routes that start work: an object with only the members the route takes
// (schemas/openapi.json), each member checked for its type. Every refusal is a cli::UsageError
// (a 400 problem) naming the member as a JSON pointer.
#include <httplib.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace migpkg::serve {

// The body as a JSON object with no member but `allowed`; the request must be application/json.
nlohmann::json request_body(const httplib::Request& request,
                            const std::vector<std::string>& allowed);

// "" when absent or null (a UsageError when `required`).
std::string text_member(const nlohmann::json& body, const std::string& name, bool required);
// false when absent or null.
bool flag_member(const nlohmann::json& body, const std::string& name);
// An array of non-empty strings; empty when absent or null.
std::vector<std::string> text_list_member(const nlohmann::json& body, const std::string& name);
// An integer from `least` to `most`; `fallback` when absent or null.
std::int64_t number_member(const nlohmann::json& body, const std::string& name,
                           std::int64_t fallback, std::int64_t least, std::int64_t most);

}  // namespace migpkg::serve
