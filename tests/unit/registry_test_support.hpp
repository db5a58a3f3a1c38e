#pragma once
// The registry-index and key-rotation tests' world: a registry key that signs indexes, a
// publisher key "pub" and its successors "mid" and "new", an untrusted key "other", the
// test.shop plugin (tests/index/shop) packed at 1.0.0, 1.1.0 and 2.0.0 by any of them, and a
// trust directory holding registry.pub and pub.pub.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "runtime/package/registry_index.hpp"

namespace migpkg::test {

struct RegistryWorld {
  RegistryWorld();

  std::string tmp;    // keys, source directories, packages as packed
  std::string trust;  // the installer's trust directory (registry.pub, pub.pub)

  std::string secret(const std::string& key) const { return tmp + "/" + key + ".key"; }
  std::string public_key(const std::string& key) const { return tmp + "/" + key + ".pub"; }
  std::string key_id(const std::string& key) const;  // as keygen prints it

  // test.shop at 1.0.0, 1.1.0 or 2.0.0, signed by `key` (packed once, then copied).
  std::string package(const std::string& version, const std::string& key);
  // A fresh registry directory holding these packages: file name -> (version, key).
  std::string registry(const std::map<std::string, std::pair<std::string, std::string>>& files);
  // `migpkg index build DIR --key registry.key EXTRA`; fails the test unless it succeeds.
  void build_index(const std::string& dir, const std::string& extra = "",
                   const std::string& key = "registry");
  // `migpkg key rotate --old OLD.key --new NEW.pub -o DIR/OLD-NEW.rotation`; returns the path.
  std::string rotate(const std::string& old_key, const std::string& new_key,
                     const std::string& dir);
  // Rewrites DIR/index.json through `change` and signs it again with `key`.
  void resign(const std::string& dir, const std::function<void(package::RegistryIndex&)>& change,
              const std::string& key = "registry");

 private:
  std::map<std::string, std::string> packed_;
  int registries_ = 0;
};

// `migpkg keygen -o DIR/NAME --no-password` (package_test_support.hpp's make_key).
void make_key_in(const std::string& dir, const std::string& name);

// Every row of the user tables and of migpkg's bookkeeping tables, as sorted text lines: two
// readings are equal when a refused run changed nothing.
std::string database_state(const std::string& url);
// Every file under DIR/index-state with its bytes ("" when there is none).
std::string index_state_files(const std::string& trust_directory);

// The audit rows' detail, oldest first.
std::vector<std::string> audit_details(const std::string& url);

void execute_sql(const std::string& url, const std::string& sql);
std::string query_text(const std::string& url, const std::string& sql);  // rows joined by \n

}  // namespace migpkg::test
