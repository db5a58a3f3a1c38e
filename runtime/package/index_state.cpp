#include "runtime/package/index_state.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/json/json_document.hpp"
#include "runtime/package/atomic_file.hpp"
#include "runtime/package/key_rotation.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/registry_index.hpp"
#include "runtime/package/strict_object.hpp"
#include "runtime/package/utc_time.hpp"

namespace migpkg::package {
namespace {

std::string state_directory(const std::string& trust_directory) {
  bool slash = !trust_directory.empty() && trust_directory.back() == '/';
  return trust_directory + (slash ? "" : "/") + "index-state";
}

}  // namespace

std::string index_state_path(const std::string& trust_directory, const KeyId& key) {
  return state_directory(trust_directory) + "/" + key_id_hex(key) + ".json";
}

std::optional<IndexState> read_index_state(const std::string& trust_directory, const KeyId& key) {
  std::string path = index_state_path(trust_directory, key);
  struct stat info {};
  if (lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::nullopt;
    refuse("index state " + path + ": cannot read (" + std::strerror(errno) + ")");
  }
  std::string text = read_bounded_file(path, kMaxIndexStateBytes, "index state");
  Diagnostics diagnostics;
  auto document = parse_json_text(text, path, diagnostics);
  if (!document)
    refuse("index state " + path + " is damaged (" +
           (diagnostics.items().empty() ? "" : diagnostics.items()[0].message) +
           "); it guards against index rollback, so it is not reset silently: restore it, or "
           "delete it to trust the next index of any version");
  StrictObject root(*document, "", path, "index state");
  if (root.text("format") != kIndexStateFormat)
    root.fail("/format", std::string("expected ") + kIndexStateFormat);
  IndexState state;
  auto id = parse_key_id_hex(root.text("keyId", 16));
  if (!id || *id != key) root.fail("/keyId", "expected " + key_id_hex(key));
  state.key_id = *id;
  state.version = root.unsigned_number("version");
  state.expires = root.text("expires", 20);
  state.accepted = root.text("accepted", 20);
  state.index = root.text("index", 4096);
  if (root.has("issued")) state.issued = root.text("issued", 20);
  if (root.has("revokedKeys")) {
    std::vector<std::string> ids = root.text_list("revokedKeys");
    if (ids.size() > kMaxIndexPackages) root.fail("/revokedKeys", "too many keys");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      auto revoked = parse_key_id_hex(ids[i]);
      if (!revoked) root.fail("/revokedKeys/" + std::to_string(i), "expected a key id");
      state.revoked.push_back(*revoked);
    }
  }
  root.no_unknown_members();
  return state;
}

std::vector<RememberedRevocation> remembered_revocations(const std::string& trust_directory) {
  std::vector<RememberedRevocation> out;
  std::string dir = state_directory(trust_directory);
  DIR* listing = opendir(dir.c_str());
  if (!listing) {
    if (errno == ENOENT) return out;
    refuse("index state " + dir + ": cannot read (" + std::strerror(errno) + ")");
  }
  std::vector<KeyId> keys;
  while (const dirent* entry = readdir(listing)) {
    std::string name = entry->d_name;
    if (name.size() != 21 || name.compare(16, 5, ".json") != 0) continue;
    if (auto key = parse_key_id_hex(name.substr(0, 16))) keys.push_back(*key);
  }
  closedir(listing);
  for (const auto& key : keys) {
    auto state = read_index_state(trust_directory, key);
    if (!state) continue;
    for (const auto& revoked : state->revoked)
      out.push_back({revoked, index_state_path(trust_directory, key)});
  }
  return out;
}

void write_index_state(const std::string& trust_directory, const IndexState& state) {
  std::string dir = state_directory(trust_directory);
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    throw std::runtime_error("cannot create " + dir + ": " + std::strerror(errno));
  nlohmann::ordered_json j;
  j["format"] = kIndexStateFormat;
  j["keyId"] = key_id_hex(state.key_id);
  j["version"] = state.version;
  j["expires"] = state.expires;
  j["accepted"] = state.accepted;
  j["index"] = state.index;
  if (!state.issued.empty()) j["issued"] = state.issued;
  if (!state.revoked.empty()) {
    nlohmann::ordered_json ids = nlohmann::ordered_json::array();
    for (const auto& id : state.revoked) ids.push_back(key_id_hex(id));
    j["revokedKeys"] = ids;
  }
  write_file_atomically(index_state_path(trust_directory, state.key_id), j.dump(2) + "\n");
}

}  // namespace migpkg::package
