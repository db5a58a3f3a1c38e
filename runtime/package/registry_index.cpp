#include "runtime/package/registry_index.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/identifiers.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/strict_object.hpp"
#include "runtime/package/utc_time.hpp"

namespace migpkg::package {

bool RegistryIndex::is_revoked(const KeyId& id) const {
  return std::find(revoked.begin(), revoked.end(), id) != revoked.end();
}

std::string index_file_name_problem(const std::string& name) {
  if (name.empty() || name.size() > 255) return "expected a file name of 1 to 255 bytes";
  if (name[0] == '.') return "a file name may not start with '.'";
  for (char c : name)
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x21 ||
        static_cast<unsigned char>(c) > 0x7e)
      return "expected a bare file name (printable ASCII, no '/' or '\\')";
  static const std::string extension = ".migpkg";
  if (name.size() <= extension.size() ||
      name.compare(name.size() - extension.size(), extension.size(), extension) != 0)
    return "expected a *.migpkg file name";
  return "";
}

std::string index_trusted_comment(const RegistryIndex& index) {
  return "migpkg index version:" + std::to_string(index.version) + " expires:" + index.expires;
}

std::string index_bytes(RegistryIndex index) {
  std::sort(index.packages.begin(), index.packages.end(),
            [](const IndexPackage& a, const IndexPackage& b) {
              if (a.plugin != b.plugin) return a.plugin < b.plugin;
              auto va = SemVer::parse(a.version), vb = SemVer::parse(b.version);
              if (va && vb && compare(*va, *vb) != 0) return *va < *vb;
              return a.file < b.file;
            });
  std::vector<std::string> revoked;
  for (const auto& id : index.revoked) revoked.push_back(key_id_hex(id));
  std::sort(revoked.begin(), revoked.end());
  revoked.erase(std::unique(revoked.begin(), revoked.end()), revoked.end());
  std::sort(
      index.rotations.begin(), index.rotations.end(),
      [](const RotationStatement& a, const RotationStatement& b) {
        return std::make_tuple(key_id_hex(a.old_key_id), key_id_hex(a.new_key.id), a.date, a.text) <
               std::make_tuple(key_id_hex(b.old_key_id), key_id_hex(b.new_key.id), b.date, b.text);
      });
  nlohmann::ordered_json j;
  j["format"] = kIndexFormat;
  j["version"] = index.version;
  j["issued"] = index.issued;
  j["expires"] = index.expires;
  auto packages = nlohmann::ordered_json::array();
  for (const auto& p : index.packages)
    packages.push_back({{"plugin", p.plugin},
                        {"version", p.version},
                        {"file", p.file},
                        {"size", p.size},
                        {"sha256", p.sha256},
                        {"keyId", key_id_hex(p.key_id)}});
  j["packages"] = packages;
  j["revokedKeys"] = revoked;
  auto rotations = nlohmann::ordered_json::array();
  for (const auto& r : index.rotations)
    rotations.push_back({{"statement", r.text}, {"signature", r.signature_text}});
  j["rotations"] = rotations;
  return j.dump(2) + "\n";
}

RegistryIndex parse_index(const std::string& bytes, const std::string& label) {
  if (bytes.size() > kMaxIndexBytes)
    refuse(label + ": larger than the index limit of " + std::to_string(kMaxIndexBytes) + " bytes");
  Diagnostics diagnostics;
  JsonLimits limits;
  limits.max_bytes = kMaxIndexBytes;
  limits.max_depth = 8;
  auto document = parse_json_text(bytes, label, diagnostics, limits);
  if (!document) {
    std::string first = diagnostics.items().empty() ? "" : diagnostics.items()[0].message;
    refuse(label + ": not a valid index: " + first);
  }
  StrictObject root(*document, "", label, "index");
  if (root.text("format") != kIndexFormat)
    root.fail("/format", std::string("unsupported index format (expected ") + kIndexFormat + ")");
  RegistryIndex index;
  index.version = root.unsigned_number("version");
  if (index.version == 0) root.fail("/version", "versions start at 1");
  index.issued = root.text("issued", 64);
  if (!parse_utc(index.issued)) root.fail("/issued", "expected an RFC 3339 UTC time");
  index.expires = root.text("expires", 64);
  if (!parse_utc(index.expires)) root.fail("/expires", "expected an RFC 3339 UTC time");
  const auto& packages = root.array("packages");
  if (packages.size() > kMaxIndexPackages)
    root.fail("/packages", "more than " + std::to_string(kMaxIndexPackages) + " packages");
  std::set<std::string> files, plugin_versions;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    std::string at = "/packages/" + std::to_string(i);
    StrictObject o(packages[i], at, label, "index");
    IndexPackage p;
    p.plugin = o.text("plugin", 200);
    if (!is_valid_plugin_id(p.plugin)) o.fail(at + "/plugin", "not a valid plugin id");
    p.version = o.text("version", 200);
    if (!SemVer::parse(p.version)) o.fail(at + "/version", "not a semantic version");
    p.file = o.text("file", 255);
    if (auto problem = index_file_name_problem(p.file); !problem.empty())
      o.fail(at + "/file", problem);
    p.size = o.unsigned_number("size");
    p.sha256 = o.text("sha256", 64);
    if (!is_lower_hex(p.sha256, 64)) o.fail(at + "/sha256", "expected 64 lower-case hex digits");
    auto key = parse_key_id_hex(o.text("keyId", 16));
    if (!key) o.fail(at + "/keyId", "expected 16 upper-case hex digits");
    p.key_id = *key;
    o.no_unknown_members();
    if (!files.insert(p.file).second) o.fail(at + "/file", "'" + p.file + "' is listed twice");
    if (!plugin_versions.insert(p.plugin + "@" + p.version).second)
      o.fail(at, p.plugin + " " + p.version + " is listed twice");
    index.packages.push_back(p);
  }
  const auto& revoked = root.array("revokedKeys");
  for (std::size_t i = 0; i < revoked.size(); ++i) {
    std::string at = "/revokedKeys/" + std::to_string(i);
    auto id = revoked[i].is_string() ? parse_key_id_hex(revoked[i].get<std::string>())
                                     : std::optional<KeyId>{};
    if (!id) root.fail(at, "expected a key id (16 upper-case hex digits)");
    index.revoked.push_back(*id);
  }
  const auto& rotations = root.array("rotations");
  for (std::size_t i = 0; i < rotations.size(); ++i) {
    std::string at = "/rotations/" + std::to_string(i);
    StrictObject o(rotations[i], at, label, "index");
    std::string statement = o.text("statement", kMaxRotationBytes);
    std::string signature = o.text("signature", kMaxRotationBytes);
    o.no_unknown_members();
    index.rotations.push_back(parse_rotation_statement(statement, signature, label + " " + at));
  }
  root.no_unknown_members();
  return index;
}

}  // namespace migpkg::package
