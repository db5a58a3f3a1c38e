#include "compiler/sources.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include "compiler/dsl/dsl_loader.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/json/json_loader.hpp"
#include "compiler/schema/replay.hpp"
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

ir::Program load_sources(const std::vector<std::string>& paths, Diagnostics& diagnostics) {
  ir::Program program;
  for (const auto& path : paths) {
    for (const auto& file : source_files(path, diagnostics)) {
      SourceLocation where{file, "", 0, 0};
      std::vector<ir::Migration> migrations;
      if (ends_with(file, ".mig")) {
        migrations = dsl::load_dsl_file(file, diagnostics);
      } else if (ends_with(file, ".json")) {
        auto document = read_json_file(file, diagnostics);
        if (!document) continue;
        auto migration = load_portable_migration(*document, file, diagnostics);
        if (migration) migrations.push_back(std::move(*migration));
      } else {
        diagnostics.error("unsupported-source", where,
                          "not a migration source: expected a .json or .mig file");
        continue;
      }
      for (auto& migration : migrations) {
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
