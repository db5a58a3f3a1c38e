#include "cli/secret_key_file.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli/password.hpp"

namespace migpkg::cli {

package::SecretKey load_secret_key(const Arguments& args, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read secret key " + path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  if (content.size() > 8192) throw std::runtime_error(path + ": not a minisign secret key");
  auto password = [&]() -> std::string {
    if (auto file = args.value("--password-file")) return read_password_file(*file);
    return prompt_password("Password for " + path + ": ", false,
                           "the key is password-protected: pass --password-file F");
  };
  try {
    return package::parse_secret_key(content, path, password);
  } catch (const package::KeyError& e) {
    throw std::runtime_error(e.what());
  }
}

}  // namespace migpkg::cli
