#include "runtime/access/tokens.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "runtime/package/atomic_file.hpp"
#include "runtime/package/utc_time.hpp"

namespace migpkg::access {
namespace {

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

TokenHash hash_of(const std::string& token) {
  TokenHash out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return out;
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

}  // namespace

std::string to_string(Role role) {
  switch (role) {
    case Role::viewer:
      return "viewer";
    case Role::operator_:
      return "operator";
    case Role::admin:
      return "admin";
  }
  return "viewer";
}

std::optional<Role> parse_role(const std::string& text) {
  if (text == "viewer") return Role::viewer;
  if (text == "operator") return Role::operator_;
  if (text == "admin") return Role::admin;
  return std::nullopt;
}

bool valid_token_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

TokenFile TokenFile::load(const std::string& path) {
  TokenFile out;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return out;
    throw std::runtime_error("token file " + path + ": " + std::strerror(errno));
  }
  // Whoever may write the file may give themselves any role.
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    throw std::runtime_error("token file " + path +
                             ": group or others may write it; chmod 600 it first");
  const std::string text = package::read_bounded_file(path, kMaxTokenFileBytes, "token file");
  auto fail = [&](const std::string& what) -> std::runtime_error {
    return std::runtime_error("token file " + path + ": " + what);
  };
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw fail("not a JSON object");
  if (doc.value("version", 0) != 1) throw fail("/version: expected 1");
  auto tokens = doc.find("tokens");
  if (tokens == doc.end() || !tokens->is_array()) throw fail("/tokens: expected an array");
  for (std::size_t i = 0; i < tokens->size(); ++i) {
    const auto& t = (*tokens)[i];
    const std::string at = "/tokens/" + std::to_string(i);
    if (!t.is_object()) throw fail(at + ": expected an object");
    TokenEntry e;
    e.name = t.value("name", "");
    if (!valid_token_name(e.name)) throw fail(at + "/name: not a token name");
    auto role = parse_role(t.value("role", ""));
    if (!role) throw fail(at + "/role: expected viewer, operator or admin");
    e.role = *role;
    std::string digest = t.value("sha256", "");
    std::size_t length = 0;
    if (digest.size() != 64 ||
        sodium_hex2bin(e.sha256.data(), e.sha256.size(), digest.data(), digest.size(), nullptr,
                       &length, nullptr) != 0 ||
        length != 32)
      throw fail(at + "/sha256: expected 64 hex digits");
    e.created_at = t.value("createdAt", "");
    for (const auto& known : out.entries_)
      if (known.name == e.name) throw fail(at + "/name: '" + e.name + "' appears twice");
    out.entries_.push_back(std::move(e));
  }
  return out;
}

void TokenFile::save(const std::string& path) const {
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["tokens"] = nlohmann::ordered_json::array();
  for (const auto& e : entries_)
    doc["tokens"].push_back({{"name", e.name},
                             {"role", to_string(e.role)},
                             {"sha256", hex(e.sha256.data(), e.sha256.size())},
                             {"createdAt", e.created_at}});
  package::write_file_atomically(path, doc.dump(2) + "\n", 0600);
}

std::string TokenFile::add(const std::string& name, Role role) {
  ensure_sodium();
  if (!valid_token_name(name))
    throw std::runtime_error("'" + name + "' is not a token name (1 to 64 of A-Z a-z 0-9 . _ -)");
  for (const auto& e : entries_)
    if (e.name == name)
      throw std::runtime_error("a token named '" + name + "' exists; remove it first");
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  std::string token = "mgp_" + hex(random, sizeof random);
  sodium_memzero(random, sizeof random);
  TokenEntry e;
  e.name = name;
  e.role = role;
  e.sha256 = hash_of(token);
  e.created_at = package::format_utc(static_cast<std::int64_t>(std::time(nullptr)));
  entries_.push_back(std::move(e));
  return token;
}

bool TokenFile::remove(const std::string& name) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (it->name == name) {
      entries_.erase(it);
      return true;
    }
  return false;
}

std::optional<TokenEntry> TokenFile::match(const std::string& presented) const {
  ensure_sodium();
  const TokenHash h = hash_of(presented);
  // Every entry is compared, and the index of a match is picked without a branch on the
  // comparison, so the time depends only on the number of entries.
  std::size_t found = entries_.size();
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const std::size_t equal =
        static_cast<std::size_t>(crypto_verify_32(h.data(), entries_[i].sha256.data()) == 0);
    found = (found & (equal - 1)) | (i & (0 - equal));
  }
  if (found >= entries_.size()) return std::nullopt;
  return entries_[found];
}

}  // namespace migpkg::access
