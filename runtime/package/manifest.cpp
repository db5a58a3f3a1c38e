#include "runtime/package/manifest.hpp"

#include <set>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/identifiers.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/package/entry_name.hpp"
#include "runtime/package/file_hash.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/strict_object.hpp"

namespace migpkg::package {

const ManifestFile* Manifest::find_file(const std::string& path) const {
  for (const auto& file : files)
    if (file.path == path) return &file;
  return nullptr;
}

nlohmann::ordered_json manifest_to_json(const Manifest& m) {
  nlohmann::ordered_json j;
  j["format"] = m.format;
  j["plugin"] = m.plugin;
  j["version"] = m.version;
  j["builtWith"] = m.built_with;
  j["dependencies"] = m.dependencies;
  j["conflicts"] = m.conflicts;
  j["engines"] = m.engines;
  auto unsupported = nlohmann::ordered_json::array();
  for (const auto& u : m.unsupported_engines)
    unsupported.push_back({{"engine", u.engine}, {"reason", u.reason}});
  j["unsupportedEngines"] = unsupported;
  auto migrations = nlohmann::ordered_json::array();
  for (const auto& mig : m.migrations)
    migrations.push_back(
        {{"id", mig.id}, {"version", mig.version}, {"checksum", mig.checksum}, {"file", mig.file}});
  j["migrations"] = migrations;
  j["hashAlgorithm"] = kHashAlgorithm;
  auto files = nlohmann::ordered_json::array();
  for (const auto& f : m.files)
    files.push_back({{"path", f.path}, {"size", f.size}, {"hash", f.hash}});
  j["files"] = files;
  return j;
}

std::string manifest_bytes(const Manifest& manifest) {
  return manifest_to_json(manifest).dump(2) + "\n";
}

std::string trusted_comment_for(const std::string& plugin, const std::string& version) {
  return "migpkg plugin:" + plugin + " version:" + version;
}

Manifest parse_manifest(const std::string& bytes, const std::string& label,
                        std::uint64_t max_entry_bytes, std::uint64_t max_entries) {
  Diagnostics diagnostics;
  auto document = parse_json_text(bytes, label + ":" + kManifestName, diagnostics);
  if (!document) {
    std::string first = diagnostics.items().empty() ? "" : diagnostics.items()[0].message;
    refuse(label + ": manifest.json is not valid JSON: " + first);
  }
  StrictObject root(*document, "", label, "manifest");
  Manifest m;
  m.format = root.text("format");
  if (m.format != kPackageFormat)
    root.fail("/format",
              "unsupported package format '" + m.format + "' (expected " + kPackageFormat + ")");
  m.plugin = root.text("plugin", 200);
  if (!is_valid_plugin_id(m.plugin)) root.fail("/plugin", "not a valid plugin id");
  m.version = root.text("version", 200);
  if (!SemVer::parse(m.version)) root.fail("/version", "not a semantic version");
  m.built_with = root.text("builtWith");
  m.dependencies = root.text_list("dependencies");
  m.conflicts = root.text_list("conflicts");
  m.engines = root.text_list("engines");
  const auto& unsupported = root.array("unsupportedEngines");
  for (std::size_t i = 0; i < unsupported.size(); ++i) {
    StrictObject u(unsupported[i], "/unsupportedEngines/" + std::to_string(i), label, "manifest");
    m.unsupported_engines.push_back({u.text("engine"), u.text("reason", 4096)});
    u.no_unknown_members();
  }
  const auto& migrations = root.array("migrations");
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    StrictObject o(migrations[i], "/migrations/" + std::to_string(i), label, "manifest");
    ManifestMigration mig{o.text("id", 128), o.text("version", 200), o.text("checksum", 200),
                          o.text("file")};
    if (!is_valid_id(mig.id)) o.fail(o.pointer() + "/id", "not a valid migration id");
    if (!entry_name_problem(mig.file).empty()) o.fail(o.pointer() + "/file", "invalid path");
    o.no_unknown_members();
    m.migrations.push_back(mig);
  }
  if (root.text("hashAlgorithm") != kHashAlgorithm)
    root.fail("/hashAlgorithm",
              std::string("unsupported hash algorithm (expected ") + kHashAlgorithm + ")");
  const auto& files = root.array("files");
  if (files.size() + 2 > max_entries)
    root.fail("/files",
              "lists more files than the entry limit (" + std::to_string(max_entries) + ")");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < files.size(); ++i) {
    StrictObject o(files[i], "/files/" + std::to_string(i), label, "manifest");
    ManifestFile f{o.text("path", kMaxEntryNameBytes + 1), o.unsigned_number("size"),
                   o.text("hash", 64)};
    o.no_unknown_members();
    if (auto problem = entry_name_problem(f.path); !problem.empty())
      o.fail(o.pointer() + "/path", printable_name(f.path) + ": " + problem);
    if (f.path == kManifestName || f.path == kSignatureName)
      o.fail(o.pointer() + "/path", "the manifest and its signature are not listed");
    if (!seen.insert(f.path).second)
      o.fail(o.pointer() + "/path", "'" + f.path + "' is listed twice");
    if (f.size > max_entry_bytes) o.fail(o.pointer() + "/size", "above the entry size limit");
    if (!is_lower_hex(f.hash, 64))
      o.fail(o.pointer() + "/hash", "expected 64 lower-case hex digits");
    m.files.push_back(f);
  }
  for (std::size_t i = 0; i < m.migrations.size(); ++i)
    if (!seen.count(m.migrations[i].file))
      root.fail("/migrations/" + std::to_string(i) + "/file", "not listed in /files");
  root.no_unknown_members();
  return m;
}

}  // namespace migpkg::package
