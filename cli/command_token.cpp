// token: the API tokens of `migpkg serve` (runtime/access/tokens.hpp, docs/serve.md).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "runtime/access/tokens.hpp"

namespace migpkg::cli {
namespace {

std::string tokens_path(const Arguments& args) {
  auto path = args.value("--tokens");
  if (!path) throw UsageError("token needs --tokens FILE (the file `migpkg serve --tokens` reads)");
  return *path;
}

}  // namespace

int run_token(const Arguments& args) {
  const auto& words = args.positionals();
  const std::string action = words[0];
  const std::string path = tokens_path(args);
  if (action == "add") {
    if (words.size() != 2) throw UsageError("token add takes one NAME");
    auto role_text = args.value("--role");
    if (!role_text) throw UsageError("token add needs --role viewer|operator|admin");
    auto role = access::parse_role(*role_text);
    if (!role) throw UsageError("--role takes viewer, operator or admin, not '" + *role_text + "'");
    access::TokenFile file = access::TokenFile::load(path);
    std::string token;
    try {
      token = file.add(words[1], *role);
    } catch (const std::runtime_error& e) {
      throw UsageError(e.what());
    }
    file.save(path);
    // The one time the token exists in clear: only its hash is stored.
    std::cout << token << "\n";
    std::cerr << "migpkg token: added '" << words[1] << "' (" << *role_text << ") to " << path
              << "; the token above is shown only now\n";
    return kOk;
  }
  if (action == "remove") {
    if (words.size() != 2) throw UsageError("token remove takes one NAME");
    access::TokenFile file = access::TokenFile::load(path);
    if (!file.remove(words[1])) {
      std::cerr << "migpkg token: no token named '" << words[1] << "' in " << path << "\n";
      return kFailed;
    }
    file.save(path);
    std::cerr << "migpkg token: removed '" << words[1] << "' from " << path << "\n";
    return kOk;
  }
  if (action == "list") {
    if (words.size() != 1) throw UsageError("token list takes no NAME");
    access::TokenFile file = access::TokenFile::load(path);
    if (args.flag("--json")) {
      auto out = nlohmann::ordered_json::array();
      for (const auto& e : file.entries())
        out.push_back(
            {{"name", e.name}, {"role", access::to_string(e.role)}, {"createdAt", e.created_at}});
      std::cout << out.dump(2) << "\n";
      return kOk;
    }
    if (file.entries().empty()) std::cout << "no tokens in " << path << "\n";
    for (const auto& e : file.entries())
      std::cout << e.name << "  " << access::to_string(e.role) << "  " << e.created_at << "\n";
    return kOk;
  }
  throw UsageError("token takes add, list or remove, not '" + action + "'");
}

}  // namespace migpkg::cli
