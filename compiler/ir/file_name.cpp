#include "compiler/ir/file_name.hpp"

#include <mutex>
#include <ostream>
#include <unordered_set>

namespace migpkg {

const std::string* FileName::intern(const std::string& text) {
  if (text.empty()) return nullptr;
  // Node-based, so element addresses survive rehashing; never shrunk, and deliberately never
  // destroyed, so names stay valid in static destructors too.
  static std::mutex* mutex = new std::mutex;
  static auto* names = new std::unordered_set<std::string>;
  std::lock_guard<std::mutex> lock(*mutex);
  return &*names->insert(text).first;
}

const std::string& FileName::empty_string() noexcept {
  static const std::string* empty = new std::string;
  return *empty;
}

std::ostream& operator<<(std::ostream& out, const FileName& name) {
  return out << name.str();
}

}  // namespace migpkg
