// migpkg convert --from flyway|liquibase|sqitch|golang-migrate|dbmate DIR -o PLUGIN_DIR
// --plugin NAME [--dialect D[,D...]] (docs/convert.md). The plugin directory is written into a
// temporary directory beside it, validated there as `validate` would, and renamed into place:
// a refusal or a failure leaves nothing behind.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/convert_from.hpp"
#include "cli/output.hpp"
#include "compiler/convert/peer_history.hpp"
#include "compiler/convert/peer_plugin.hpp"
#include "compiler/sources.hpp"
#include "compiler/util/word_list.hpp"
#include "runtime/package/atomic_file.hpp"

namespace migpkg::cli {
namespace {

bool exists(const std::string& path) {
  struct stat info {};
  return lstat(path.c_str(), &info) == 0;
}

bool is_empty_directory(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (!dir) return false;
  bool empty = true;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") empty = false;
  }
  closedir(dir);
  return empty;
}

// The temporary plugin directory written so far (flat: one file per migration).
void remove_tree(const std::string& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

std::vector<ir::Engine> engines_of(const std::string& list) {
  std::vector<ir::Engine> engines;
  std::istringstream in(list);
  for (std::string name; std::getline(in, name, ',');) {
    auto engine = ir::engine_from_name(name);
    if (!engine || (*engine != ir::Engine::PostgreSQL && *engine != ir::Engine::SQLite &&
                    *engine != ir::Engine::MySQL))
      throw UsageError("--dialect: `" + name + "` is not postgresql, sqlite or mysql");
    if (std::find(engines.begin(), engines.end(), *engine) == engines.end())
      engines.push_back(*engine);
  }
  if (engines.empty()) throw UsageError("--dialect names no dialect");
  return engines;
}

}  // namespace

int run_convert_from(const Arguments& args) {
  std::string tool = *args.value("--from");
  auto reader = convert::peer_reader(tool);
  if (!reader)
    throw UsageError("--from: `" + tool + "` is not one of " + or_list(convert::peer_tool_names()));
  if (args.value("--to")) throw UsageError("--from writes a plugin directory; leave out --to");
  if (args.positionals().size() != 1)
    throw UsageError("convert --from " + tool + " takes one directory (the " + tool +
                     " migrations)");
  auto output = args.value("--output");
  if (!output || *output == "-")
    throw UsageError("give -o PLUGIN_DIR: the plugin directory to write");
  auto plugin = args.value("--plugin");
  if (!plugin) throw UsageError("give --plugin NAME: the id of the plugin to write (acme.blog)");
  std::string target = *output;
  while (target.size() > 1 && target.back() == '/') target.pop_back();
  if (exists(target) && !is_empty_directory(target))
    throw UsageError("'" + target + "' exists; convert writes a new plugin directory");

  const std::string& dir = args.positionals()[0];
  convert::PeerHistory history;
  try {
    struct stat info {};
    if (stat(dir.c_str(), &info) != 0) throw convert::PeerError(dir + ": no such directory");
    history = reader(dir);
  } catch (const convert::PeerError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kFailed;
  }
  std::string dialects;
  if (auto given = args.value("--dialect"))
    dialects = *given;
  else if (history.configured_dialect)
    dialects = *history.configured_dialect;
  else
    throw UsageError(
        "give --dialect postgresql, sqlite or mysql (several separated by commas): "
        "the engines the " +
        tool + " SQL is written for");
  convert::PeerPluginOptions options{tool, *plugin, engines_of(dialects)};

  std::vector<std::pair<std::string, std::string>> files;
  try {
    files = convert::peer_plugin_files(history, options);
  } catch (const convert::PeerError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kFailed;
  }

  std::string parent = target.find('/') == std::string::npos
                           ? "."
                           : target.substr(0, std::max<std::size_t>(target.rfind('/'), 1));
  std::string pattern = parent + "/.migpkg-convert-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!mkdtemp(buffer.data())) {
    std::cerr << "error: cannot create a temporary directory in '" << parent << "'\n";
    return kFailed;
  }
  std::string temp = buffer.data();
  try {
    for (const auto& [name, text] : files) package::write_file_atomically(temp + "/" + name, text);
  } catch (const std::exception& error) {
    remove_tree(temp);
    std::cerr << "error: " << error.what() << "\n";
    return kFailed;
  }
  // What was written must be a plugin `validate` accepts; anything else is a converter bug or
  // SQL migpkg refuses, and nothing is left behind.
  Diagnostics diagnostics;
  load_and_validate({temp}, diagnostics);
  diagnostics.sort();
  if (diagnostics.has_errors()) {
    print_diagnostics(diagnostics);
    remove_tree(temp);
    std::cerr << "error: the converted plugin does not validate; nothing written\n";
    return kFailed;
  }
  if (exists(target)) rmdir(target.c_str());  // the empty directory the user made
  if (rename(temp.c_str(), target.c_str()) != 0) {
    remove_tree(temp);
    std::cerr << "error: cannot rename the converted plugin to '" << target << "'\n";
    return kFailed;
  }
  chmod(target.c_str(), 0755);
  for (const auto& note : history.notes) std::cerr << "note: " << note << "\n";
  std::cerr << "wrote " << files.size() << " migrations of " << *plugin << " to " << target << "\n";
  return kOk;
}

}  // namespace migpkg::cli
