#include "runtime/package/trust_store.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "runtime/package/atomic_file.hpp"
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
  std::vector<std::string> files, rotations;
  if (S_ISDIR(info.st_mode)) {
    DIR* dir = opendir(path.c_str());
    if (!dir) refuse("trust: cannot read directory " + path);
    while (dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name.empty() || name[0] == '.') continue;
      std::string file = path + (ends_with(path, "/") ? "" : "/") + name;
      if (ends_with(name, ".pub")) files.push_back(file);
      if (ends_with(name, ".rotation")) rotations.push_back(file);
    }
    closedir(dir);
    std::sort(files.begin(), files.end());
    std::sort(rotations.begin(), rotations.end());
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
  std::vector<RotationStatement> statements;
  for (const auto& file : rotations)
    statements.push_back(parse_rotation_statement(
        read_bounded_file(file, kMaxRotationBytes, "trust: rotation statement"),
        read_bounded_file(file + ".minisig", kMaxRotationBytes,
                          "trust: rotation statement's signature"),
        file));
  store.accept_rotations(statements);
  return store;
}

const TrustStore::RotatedKey* TrustStore::rotated(const KeyId& id) const {
  for (const auto& r : rotated_)
    if (r.key.id == id) return &r;
  return nullptr;
}

void TrustStore::accept_rotations(const std::vector<RotationStatement>& statements) {
  statements_.insert(statements_.end(), statements.begin(), statements.end());
  // Breadth first, one round per chain length, so that each key gets its shortest chain.
  for (std::size_t round = 0; round < kMaxRotationChain; ++round) {
    std::vector<RotatedKey> found;
    for (const auto& s : statements_) {
      // Every statement whose old key is trusted is checked, whether or not it is needed.
      const PublicKey* old = find(s.old_key_id);
      if (old) verify_rotation_statement(s, *old);
      const PublicKey* direct = nullptr;
      for (const auto& key : keys_)
        if (key.id == s.new_key.id) direct = &key;
      if (direct) {
        if (direct->key != s.new_key.key)
          refuse(s.source + ": vouches for key " + key_id_hex(s.new_key.id) +
                 " with another public key than the trusted " + direct->source);
        continue;
      }
      if (const RotatedKey* known = rotated(s.new_key.id)) {
        if (known->key.key != s.new_key.key)
          refuse(s.source + ": vouches for key " + key_id_hex(s.new_key.id) +
                 " with another public key than " + known->key.source);
        continue;
      }
      if (!old) continue;  // vouched for by a key this store does not trust: unused
      RotatedKey next{s.new_key, chain(s.old_key_id)};
      next.key.source = s.source;
      next.chain.push_back({s.old_key_id, s.new_key.id, s.date, s.source});
      bool duplicate = false;
      for (const auto& f : found) duplicate = duplicate || f.key.id == next.key.id;
      if (!duplicate) found.push_back(std::move(next));
    }
    if (found.empty()) break;
    for (auto& f : found) rotated_.push_back(std::move(f));
  }
}

std::vector<TrustLink> TrustStore::chain(const KeyId& id) const {
  for (const auto& key : keys_)
    if (key.id == id) return {};
  const RotatedKey* r = rotated(id);
  return r ? r->chain : std::vector<TrustLink>{};
}

std::string TrustStore::describe_chain(const KeyId& id) const {
  auto links = chain(id);
  if (links.empty()) return "";
  std::string out;
  for (auto link = links.rbegin(); link != links.rend(); ++link)
    out += (out.empty() ? "key " : ", key ") + key_id_hex(link->new_key) +
           " accepted through rotation statement signed by " + key_id_hex(link->old_key) + " (" +
           link->date.substr(0, 10) + ")";
  return out;
}

std::vector<KeyId> TrustStore::keys_behind(const KeyId& id) const {
  std::vector<KeyId> out{id};
  auto links = chain(id);
  for (auto link = links.rbegin(); link != links.rend(); ++link) out.push_back(link->old_key);
  return out;
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
  const RotatedKey* r = rotated(id);
  return r ? &r->key : nullptr;
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
