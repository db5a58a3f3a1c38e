#include "compiler/sources.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include "compiler/dsl/dsl_loader.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/json/json_loader.hpp"
#include "compiler/load/data_file.hpp"
#include "compiler/schema/replay.hpp"
#include "compiler/util/parallel.hpp"
#include "compiler/validate/validator.hpp"

namespace migpkg {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_source_name(const std::string& name) {
  return ends_with(name, ".json") || ends_with(name, ".mig");
}

}  // namespace

std::vector<std::string> source_files(const std::string& path, Diagnostics& diagnostics) {
  SourceLocation where{path, "", 0, 0};
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    diagnostics.error("cannot-read", where, "no such file or directory");
    return {};
  }
  if (!S_ISDIR(info.st_mode)) return {path};
  std::vector<std::string> files;
  DIR* dir = opendir(path.c_str());
  if (!dir) {
    diagnostics.error("cannot-read", where, "cannot read directory");
    return {};
  }
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name.empty() || name[0] == '.' || !is_source_name(name)) continue;
    std::string full = path + (ends_with(path, "/") ? "" : "/") + name;
    // The directory entry's type where the filesystem gives it, saving a stat per file.
    bool regular = entry->d_type == DT_REG;
    if (entry->d_type == DT_UNKNOWN || entry->d_type == DT_LNK) {
      struct stat child {};
      regular = stat(full.c_str(), &child) == 0 && S_ISREG(child.st_mode);
    }
    if (regular) files.push_back(full);
  }
  closedir(dir);
  std::sort(files.begin(), files.end());
  if (files.empty())
    diagnostics.error("no-sources", where, "directory holds no .json or .mig source files");
  return files;
}

namespace {

// What the front end makes of one source file.
struct LoadedFile {
  std::vector<ir::Migration> migrations;
  Diagnostics diagnostics;
};

LoadedFile load_source_file(const std::string& file) {
  LoadedFile loaded;
  if (ends_with(file, ".mig")) {
    loaded.migrations = dsl::load_dsl_file(file, loaded.diagnostics);
  } else if (ends_with(file, ".json")) {
    if (auto document = read_json_file(file, loaded.diagnostics))
      if (auto migration = load_portable_migration(*document, file, loaded.diagnostics))
        loaded.migrations.push_back(std::move(*migration));
  } else {
    loaded.diagnostics.error("unsupported-source", SourceLocation{file, "", 0, 0},
                             "not a migration source: expected a .json or .mig file");
  }
  // Load steps name files in the plugin directory's data/: hashed here, so the checksum covers
  // them from the start.
  fill_load_files_from_disk(loaded.migrations, file, loaded.diagnostics);
  return loaded;
}

}  // namespace

ir::Program load_sources(const std::vector<std::string>& paths, Diagnostics& diagnostics) {
  // Every file is read on its own (compiler/util/parallel.hpp); the results are gathered in the
  // order of the paths and, within a directory, of the names, whatever the number of threads.
  std::vector<Diagnostics> listing(paths.size());
  std::vector<std::vector<std::string>> files(paths.size());
  std::vector<const std::string*> all;
  for (std::size_t p = 0; p < paths.size(); ++p) {
    files[p] = source_files(paths[p], listing[p]);
    for (const auto& file : files[p]) all.push_back(&file);
  }
  std::vector<LoadedFile> loaded(all.size());
  run_tasks(all.size(), worker_count(all.size()),
            [&](std::size_t i) { loaded[i] = load_source_file(*all[i]); });

  ir::Program program;
  std::size_t next = 0;
  for (std::size_t p = 0; p < paths.size(); ++p) {
    diagnostics.append(listing[p]);
    for (std::size_t f = 0; f < files[p].size(); ++f, ++next) {
      diagnostics.append(loaded[next].diagnostics);
      for (auto& migration : loaded[next].migrations) {
        ir::Plugin* plugin = program.find_plugin(migration.plugin_id);
        if (!plugin) {
          program.plugins.push_back(ir::Plugin{migration.plugin_id, {}});
          plugin = &program.plugins.back();
        }
        plugin->migrations.push_back(std::move(migration));
      }
    }
  }
  return program;
}

ir::Program load_and_validate(const std::vector<std::string>& paths, Diagnostics& diagnostics,
                              const std::set<std::string>* installed) {
  ir::Program program = load_sources(paths, diagnostics);
  // Replays the declarative changes and derives automatic down steps, so that validation,
  // planning and checksums see the migration as it runs.
  schema::prepare_schema_changes(program, diagnostics);
  validate_program(program, diagnostics, installed);
  diagnostics.sort();
  return program;
}

}  // namespace migpkg
