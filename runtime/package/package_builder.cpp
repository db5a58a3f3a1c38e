#include "runtime/package/package_builder.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "compiler/dialects/dialect.hpp"
#include "compiler/json/ir_json.hpp"
#include "compiler/json/json_loader.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/sources.hpp"
#include "compiler/util/process_memory.hpp"
#include "runtime/package/archive_reader.hpp"
#include "runtime/package/archive_writer.hpp"
#include "runtime/package/entry_name.hpp"
#include "runtime/package/file_hash.hpp"
#include "runtime/package/package_verifier.hpp"
#include "runtime/package/plan_files.hpp"

namespace migpkg::package {
namespace {

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string joined(const std::string& dir, const std::string& name) {
  return dir + (!dir.empty() && dir.back() == '/' ? "" : "/") + name;
}

// Every regular file under DIR/data, as "data/<relative path>". Links and special files are
// refused: what a package holds must be exactly what the author can see.
void collect_data(const std::string& disk_path, const std::string& name,
                  std::vector<ArchiveMember>& out, Diagnostics& diagnostics) {
  SourceLocation where{disk_path, "", 0, 0};
  DIR* dir = opendir(disk_path.c_str());
  if (!dir) {
    diagnostics.error("cannot-read", where, "cannot read directory");
    return;
  }
  std::vector<std::string> names;
  while (dirent* entry = readdir(dir)) {
    std::string child = entry->d_name;
    if (child != "." && child != "..") names.push_back(child);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  for (const auto& child : names) {
    std::string child_path = joined(disk_path, child), child_name = name + "/" + child;
    SourceLocation at{child_path, "", 0, 0};
    struct stat info {};
    if (lstat(child_path.c_str(), &info) != 0) {
      diagnostics.error("cannot-read", at, "cannot read");
    } else if (S_ISDIR(info.st_mode)) {
      collect_data(child_path, child_name, out, diagnostics);
    } else if (!S_ISREG(info.st_mode)) {
      diagnostics.error("package-data-not-regular", at,
                        S_ISLNK(info.st_mode) ? "data file is a symbolic link; a package holds "
                                                "regular files only"
                                              : "not a regular file; a package holds regular "
                                                "files only");
    } else if (auto problem = entry_name_problem(child_name); !problem.empty()) {
      diagnostics.error("package-bad-name", at, "cannot be packed: " + problem);
    } else {
      out.push_back({child_name, read_whole_file(child_path)});
    }
  }
}

std::vector<std::string> sorted_unique(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

// The document names load steps' data files, not their hashes: those come from the files, as
// they will when the package is installed (package_loader.cpp).
void copy_load_hashes(const ir::Migration& from, ir::Migration& to) {
  std::map<std::string, std::string> by_file;
  for (const auto* steps : {&from.up, &from.down})
    for (const auto& step : *steps)
      if (step.load && !step.load->unload) by_file[step.load->file.text] = step.load->sha256;
  for (auto* steps : {&to.up, &to.down})
    for (auto& step : *steps)
      if (step.load) step.load->sha256 = by_file[step.load->file.text];
}

// The normalized IR document must load back into the same migration, or installing from the
// package would run something other than what was packed.
bool reloads_identically(const ir::Migration& migration, const std::string& document,
                         const std::string& name, Diagnostics& diagnostics) {
  Diagnostics reload;
  auto parsed = nlohmann::json::parse(document);
  auto again = load_portable_migration(parsed, name, reload);
  if (again) copy_load_hashes(migration, *again);
  if (again && !reload.has_errors() && migration_checksum(*again) == migration_checksum(migration))
    return true;
  diagnostics.error("package-ir-roundtrip", migration.location,
                    "the normalized IR of migration '" + migration.id +
                        "' does not load back into the same migration; this migpkg cannot "
                        "package it faithfully");
  return false;
}

// Plans name each migration's and step's source file as it was given to pack (relative,
// absolute, ...). In the package they name the copy under sources/, so where pack ran from
// cannot change the bytes.
void relocate_sources(plan::Migration& migration,
                      const std::map<std::string, std::string>& in_package) {
  auto relocate = [&](SourceLocation& location) {
    auto found = in_package.find(location.file.str());
    if (found != in_package.end()) location.file = found->second;
  };
  relocate(migration.source);
  for (auto* steps : {&migration.up, &migration.down})
    for (auto& step : *steps) relocate(step.source);
}

}  // namespace

BuiltPackage build_package(const std::string& directory, const SecretKey& key, std::int64_t mtime,
                           Diagnostics& diagnostics) {
  BuiltPackage built;
  SourceLocation where{directory, "", 0, 0};
  struct stat info {};
  if (stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    diagnostics.error("package-not-directory", where, "pack takes a plugin's source directory");
    return built;
  }
  ir::Program program = load_and_validate({directory}, diagnostics);
  if (diagnostics.has_errors()) return built;
  std::vector<std::string> files = source_files(directory, diagnostics);
  if (program.plugins.size() != 1) {
    std::string ids;
    for (const auto& p : program.plugins) ids += (ids.empty() ? "" : ", ") + p.id;
    diagnostics.error("package-plugins", where,
                      "a package holds exactly one plugin; this directory holds " +
                          std::to_string(program.plugins.size()) + " (" + ids + ")");
    return built;
  }
  const ir::Plugin& plugin = program.plugins[0];
  Manifest& m = built.manifest;
  m.plugin = plugin.id;
  m.version = plugin.version()->to_string();
  m.built_with = std::string("migpkg ") + MIGPKG_VERSION;

  std::vector<ArchiveMember> members;
  std::map<std::string, std::string> in_package;  // source path as given -> sources/<name>
  for (const auto& file : files) {
    std::string name = "sources/" + base_name(file);
    in_package[file] = name;
    if (auto problem = entry_name_problem(name); !problem.empty()) {
      diagnostics.error("package-bad-name", SourceLocation{file, "", 0, 0},
                        "cannot be packed: " + problem);
      continue;
    }
    members.push_back({name, read_whole_file(file)});
  }

  std::vector<std::string> dependencies, conflicts;
  for (std::size_t i = 0; i < plugin.migrations.size(); ++i) {
    const ir::Migration& migration = plugin.migrations[i];
    std::string index = std::to_string(i + 1);
    if (index.size() < 4) index.insert(0, 4 - index.size(), '0');
    std::string name = "ir/" + index + "-" + migration.id + ".json";
    std::string document = portable_json_text(migration, 2) + "\n";
    if (!reloads_identically(migration, document, name, diagnostics)) continue;
    members.push_back({name, document});
    m.migrations.push_back(
        {migration.id, migration.version_text, migration_checksum(migration), name});
    for (const auto& d : migration.dependencies)
      if (d.text.find('@') != std::string::npos) dependencies.push_back(d.text);
    for (const auto& c : migration.conflicts) conflicts.push_back(c.text);
  }
  m.dependencies = sorted_unique(dependencies);
  m.conflicts = sorted_unique(conflicts);

  // Every dialect's plan, turned into the package's JSON plan and SQL a migration at a time on
  // the thread that plans it (stream_plans), so no whole plan is ever held; gathered in the
  // registered order.
  std::vector<std::string> names = dialect_names();
  std::vector<const Dialect*> dialects;
  for (const auto& name : names) dialects.push_back(find_dialect(name));
  struct DialectFiles {
    DialectFiles(const std::string& dialect, std::size_t expected) : writer(dialect, expected) {}
    PlanFilesWriter writer;
    std::string unsupported;  // the first error, when the dialect cannot compile the plugin
    PlanFilesWriter::Files files;
  };
  std::vector<std::unique_ptr<DialectFiles>> written;
  for (const auto& name : names)
    written.push_back(std::make_unique<DialectFiles>(name, plugin.migrations.size()));
  PlanStream stream;
  stream.migration = [&](std::size_t i, plan::Migration&& migration) {
    relocate_sources(migration, in_package);
    written[i]->writer.add(migration);
  };
  stream.done = [&](std::size_t i, Diagnostics&& planned) {
    DialectFiles& out = *written[i];
    if (planned.has_errors()) {
      out.unsupported = "does not compile";
      for (const auto& d : planned.items())
        if (d.severity == DiagnosticSeverity::Error) {
          out.unsupported = d.message;
          break;
        }
      return;
    }
    out.files = out.writer.finish();
  };
  stream_plans(program, dialects, stream);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (!written[i]->unsupported.empty()) {
      m.unsupported_engines.push_back({name, written[i]->unsupported});
      continue;
    }
    m.engines.push_back(name);
    members.push_back({"plans/" + name + ".json", std::move(written[i]->files.json)});
    members.push_back({"plans/" + name + ".sql", std::move(written[i]->files.sql)});
  }
  if (m.engines.empty())
    diagnostics.error("package-no-engine", where,
                      "the plugin compiles for no dialect; first problem: " +
                          (m.unsupported_engines.empty() ? std::string("none")
                                                         : m.unsupported_engines[0].reason));

  std::string data_dir = joined(directory, "data");
  struct stat data_info {};
  if (lstat(data_dir.c_str(), &data_info) == 0) {
    if (S_ISDIR(data_info.st_mode))
      collect_data(data_dir, "data", members, diagnostics);
    else
      diagnostics.error("package-data-not-regular", SourceLocation{data_dir, "", 0, 0},
                        "data must be a directory");
  }
  if (diagnostics.has_errors()) return built;

  std::sort(members.begin(), members.end(),
            [](const ArchiveMember& a, const ArchiveMember& b) { return a.name < b.name; });
  for (const auto& member : members)
    m.files.push_back({member.name, member.content.size(), hash_hex(member.content)});

  std::string manifest_text = manifest_bytes(m);
  std::string signature =
      sign_message(key, manifest_text, trusted_comment_for(m.plugin, m.version));
  members.insert(members.begin(), {{kManifestName, manifest_text}, {kSignatureName, signature}});
  built.bytes = write_archive(members, mtime);

  // As minisign re-verifies a signature before writing it: read back what was built, with the
  // same verifier installers use, before anyone else sees it.
  ReadLimits limits;
  auto reader = ArchiveReader::open_memory(built.bytes, "new package", limits);
  TrustStore own = TrustStore::of({key.public_key()}, "the signing key");
  verify_package(*reader, &own, {});
  release(std::move(program));
  return built;
}

}  // namespace migpkg::package
