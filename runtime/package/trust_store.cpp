#include "runtime/package/trust_store.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "runtime/package/package_error.hpp"

namespace migpkg::package {
namespace {

std::string read_small_file(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
    refuse("trusted key " + path + ": not a readable file");
  if (info.st_size > 8192)
    refuse("trusted key " + path + ": not a minisign public key (too large)");
  std::ifstream in(path, std::ios::binary);
  if (!in) refuse("trusted key " + path + ": cannot read");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TrustStore TrustStore::load(const std::string& path) {
  TrustStore store;
  store.origin_ = path;
  struct stat info {};
  if (path.empty() || stat(path.c_str(), &info) != 0)
    refuse("trust: " + (path.empty() ? std::string("no trust location") : path) +
           " does not exist; pass --trust with a publisher's .pub file or a directory of them");
  std::vector<std::string> files;
  if (S_ISDIR(info.st_mode)) {
    DIR* dir = opendir(path.c_str());
    if (!dir) refuse("trust: cannot read directory " + path);
    while (dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name.empty() || name[0] == '.' || !ends_with(name, ".pub")) continue;
      files.push_back(path + (ends_with(path, "/") ? "" : "/") + name);
    }
    closedir(dir);
    std::sort(files.begin(), files.end());
    if (files.empty()) refuse("trust: directory " + path + " holds no .pub key files");
  } else {
    files.push_back(path);
  }
  for (const auto& file : files) {
    PublicKey key;
    try {
      key = parse_public_key(read_small_file(file), file);
    } catch (const KeyError& e) {
      refuse(std::string("trust: ") + e.what());
    }
    if (const PublicKey* other = store.find(key.id)) {
      if (other->key != key.key)
        refuse("trust: " + file + " and " + other->source + " both claim key id " +
               key_id_hex(key.id) + " with different keys");
      continue;
    }
    store.keys_.push_back(key);
  }
  return store;
}

TrustStore TrustStore::of(std::vector<PublicKey> keys, std::string origin) {
  TrustStore store;
  store.keys_ = std::move(keys);
  store.origin_ = std::move(origin);
  return store;
}

const PublicKey* TrustStore::find(const KeyId& id) const {
  for (const auto& key : keys_)
    if (key.id == id) return &key;
  return nullptr;
}

std::string TrustStore::describe() const {
  std::string out;
  for (const auto& key : keys_) {
    std::string file = key.source.substr(key.source.find_last_of('/') + 1);
    out += (out.empty() ? "" : ", ") + key_id_hex(key.id) + " (" + file + ")";
  }
  return out;
}

std::string default_trust_directory() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg && xdg[0] == '/')
    return std::string(xdg) + "/migpkg/trust";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.config/migpkg/trust";
  return "";
}

std::string trust_location(const std::optional<std::string>& option) {
  return option ? *option : default_trust_directory();
}

}  // namespace migpkg::package
