#include "cli/config_file.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "compiler/lint/lint_rules.hpp"

namespace migpkg::cli {
namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& pointer,
                         const std::string& what) {
  throw UsageError("configuration " + path + ": " + pointer + ": " + what);
}

// A whole number of at least 1 (0 would keep nothing, not even the backup just taken).
std::int64_t positive_count(const nlohmann::json& value, const std::string& path,
                            const std::string& pointer) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 1)
    refuse(path, pointer, "must be a whole number of at least 1, not " + value.dump());
  return value.get<std::int64_t>();
}

// A key as a JSON pointer token (RFC 6901): '~' as "~0", '/' as "~1".
std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key)
    out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

void check_known(const nlohmann::json& object, const std::vector<std::string>& known,
                 const std::string& path, const std::string& pointer) {
  for (const auto& item : object.items()) {
    bool found = false;
    for (const auto& key : known) found = found || key == item.key();
    if (found) continue;
    std::string list;
    for (const auto& key : known) list += (list.empty() ? "" : ", ") + key;
    refuse(path, pointer + "/" + pointer_token(item.key()),
           "unknown key (known here: " + list + ")");
  }
}

std::string default_path() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && xdg[0] == '/')
    return std::string(xdg) + "/migpkg/config.json";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.config/migpkg/config.json";
  return "";
}

// lint.levels: {"L101": "off", "drop-column": "warning"}.
void read_lint(const nlohmann::json& lint, const std::string& path, Config& config) {
  if (!lint.is_object()) refuse(path, "/lint", "must be an object");
  check_known(lint, {"levels"}, path, "/lint");
  if (!lint.contains("levels")) return;
  const nlohmann::json& levels = lint["levels"];
  if (!levels.is_object()) refuse(path, "/lint/levels", "must be an object");
  for (const auto& item : levels.items()) {
    std::string pointer = "/lint/levels/" + pointer_token(item.key());
    const lint::Rule* rule = lint::find_rule(item.key());
    if (!rule) refuse(path, pointer, "unknown lint code (docs/lint.md lists them)");
    if (!item.value().is_string() || !lint::level_from_name(item.value().get<std::string>()))
      refuse(path, pointer,
             "must be \"off\", \"warning\" or \"error\", not " + item.value().dump());
    config.lint_levels[rule->code] = item.value().get<std::string>();
  }
}

}  // namespace

Config parse_config(const std::string& text, const std::string& path) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    throw UsageError("configuration " + path + " is not valid JSON: " + error.what());
  }
  if (!json.is_object()) refuse(path, "(the document)", "must be a JSON object");
  check_known(json, {"$schema", "backups", "lint"}, path, "");
  Config config;
  config.path = path;
  if (json.contains("$schema") && !json["$schema"].is_string())
    refuse(path, "/$schema", "must be a string");
  if (json.contains("lint")) read_lint(json["lint"], path, config);
  if (!json.contains("backups")) return config;
  const nlohmann::json& backups = json["backups"];
  if (!backups.is_object()) refuse(path, "/backups", "must be an object");
  check_known(backups, {"keep", "keep_days", "encrypt_to", "directory", "passphrase_file"}, path,
              "/backups");
  if (backups.contains("keep"))
    config.backups_keep = positive_count(backups["keep"], path, "/backups/keep");
  if (backups.contains("keep_days"))
    config.backups_keep_days = positive_count(backups["keep_days"], path, "/backups/keep_days");
  if (backups.contains("encrypt_to")) {
    const nlohmann::json& list = backups["encrypt_to"];
    if (!list.is_array()) refuse(path, "/backups/encrypt_to", "must be a list of age recipients");
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string pointer = "/backups/encrypt_to/" + std::to_string(i);
      if (!list[i].is_string() || list[i].get<std::string>().rfind("age1", 0) != 0)
        refuse(path, pointer, "must be an age recipient (age1...), not " + list[i].dump());
      config.backups_encrypt_to.push_back(list[i].get<std::string>());
    }
  }
  if (backups.contains("directory")) {
    const nlohmann::json& directory = backups["directory"];
    // Relative to what? The directory migpkg runs in changes; the file's place is no better a
    // guess. An absolute path leaves no doubt.
    if (!directory.is_string() || directory.get<std::string>().empty() ||
        directory.get<std::string>()[0] != '/')
      refuse(path, "/backups/directory", "must be an absolute path, not " + directory.dump());
    config.backups_directory = directory.get<std::string>();
  }
  if (backups.contains("passphrase_file")) {
    const nlohmann::json& file = backups["passphrase_file"];
    if (!file.is_string() || file.get<std::string>().empty() || file.get<std::string>()[0] != '/')
      refuse(path, "/backups/passphrase_file", "must be an absolute path, not " + file.dump());
    if (!config.backups_encrypt_to.empty())
      refuse(path, "/backups/passphrase_file",
             "cannot be combined with /backups/encrypt_to: age allows a passphrase only alone");
    config.backups_passphrase_file = file.get<std::string>();
  }
  return config;
}

Config load_config(const Arguments& args) {
  std::optional<std::string> given = args.value("--config");
  std::string path = given ? *given : default_path();
  if (path.empty()) return {};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (given) throw UsageError("configuration " + path + " cannot be read");
    return {};  // no configuration file: the defaults
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path);
}

}  // namespace migpkg::cli
