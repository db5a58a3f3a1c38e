#include "serve/request_body.hpp"

#include "cli/arguments.hpp"

namespace migpkg::serve {

using nlohmann::json;

json request_body(const httplib::Request& request, const std::vector<std::string>& allowed) {
  if (request.get_header_value("Content-Type").rfind("application/json", 0) != 0)
    throw cli::UsageError("send the request as application/json");
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw cli::UsageError("the body is not a JSON object");
  for (const auto& [name, value] : body.items()) {
    bool known = false;
    for (const auto& a : allowed) known = known || a == name;
    if (!known) throw cli::UsageError("/" + name + ": not a member of this request");
  }
  return body;
}

std::string text_member(const json& body, const std::string& name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) throw cli::UsageError("/" + name + ": required");
    return "";
  }
  if (!it->is_string()) throw cli::UsageError("/" + name + ": expected a string");
  return it->get<std::string>();
}

bool flag_member(const json& body, const std::string& name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) throw cli::UsageError("/" + name + ": expected true or false");
  return it->get<bool>();
}

std::vector<std::string> text_list_member(const json& body, const std::string& name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_array()) throw cli::UsageError("/" + name + ": expected an array of names");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& item = (*it)[i];
    if (!item.is_string() || item.get<std::string>().empty())
      throw cli::UsageError("/" + name + "/" + std::to_string(i) + ": expected a name");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::int64_t number_member(const json& body, const std::string& name, std::int64_t fallback,
                           std::int64_t least, std::int64_t most) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<std::int64_t>() < least || it->get<std::int64_t>() > most)
    throw cli::UsageError("/" + name + ": expected a whole number from " + std::to_string(least) +
                          " to " + std::to_string(most));
  return it->get<std::int64_t>();
}

}  // namespace migpkg::serve
