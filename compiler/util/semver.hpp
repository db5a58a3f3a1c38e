#pragma once
// Semantic versions (semver.org 2.0.0) and the version ranges plugins use to name what they
// depend on or conflict with: "1.2.3", ">=1.2 <2", "^1.2", "~1.2.3", "1.x", "*", "a || b".
#include <optional>
#include <string>
#include <vector>

namespace migpkg {

struct SemVer {
  long major = 0, minor = 0, patch = 0;
  std::vector<std::string> prerelease;  // dot-separated identifiers; empty = a release
  std::string build;                    // ignored for ordering

  static std::optional<SemVer> parse(const std::string& text, std::string* error = nullptr);
  std::string to_string() const;
};

// Total order of semver precedence (build metadata ignored). <0, 0, >0 like strcmp.
int compare(const SemVer& a, const SemVer& b);
inline bool operator<(const SemVer& a, const SemVer& b) {
  return compare(a, b) < 0;
}
inline bool operator==(const SemVer& a, const SemVer& b) {
  return compare(a, b) == 0;
}
inline bool operator!=(const SemVer& a, const SemVer& b) {
  return compare(a, b) != 0;
}
inline bool operator<=(const SemVer& a, const SemVer& b) {
  return compare(a, b) <= 0;
}

// A set of versions: a union (||) of intersections of comparators.
class VersionRange {
 public:
  static std::optional<VersionRange> parse(const std::string& text, std::string* error = nullptr);
  bool contains(const SemVer& version) const;
  const std::string& text() const { return text_; }

 private:
  struct Comparator {
    enum class Op { Eq, Lt, Le, Gt, Ge } op;
    SemVer version;
  };
  std::vector<std::vector<Comparator>> alternatives_;
  std::string text_;
  static bool parse_clause(const std::string& clause, std::vector<Comparator>& out,
                           std::string* error);
};

// "acme.crm@>=1.2" -> {plugin "acme.crm", range ">=1.2"}. A bare plugin id has range "*".
struct PluginRequirement {
  std::string plugin;
  VersionRange range;
  static std::optional<PluginRequirement> parse(const std::string& text, std::string* error);
};

}  // namespace migpkg
