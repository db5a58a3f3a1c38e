#include "compiler/util/semver.hpp"

#include <cctype>
#include <climits>
#include <sstream>

namespace migpkg {
namespace {

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool valid_identifier(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

// A pre-release identifier: alphanumerics and hyphens, numeric ones without leading zeros.
bool valid_prerelease_identifier(const std::string& s) {
  return valid_identifier(s) && !(all_digits(s) && s.size() > 1 && s[0] == '0');
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : s) {
    if (c == sep) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  return parts;
}

bool parse_number(const std::string& s, long& out) {
  if (!all_digits(s) || (s.size() > 1 && s[0] == '0') || s.size() > 9) return false;
  out = std::stol(s);
  return true;
}

bool fail(std::string* error, const std::string& message) {
  if (error) *error = message;
  return false;
}

}  // namespace

std::optional<SemVer> SemVer::parse(const std::string& text, std::string* error) {
  SemVer v;
  std::string core = text;
  auto plus = core.find('+');
  if (plus != std::string::npos) {
    v.build = core.substr(plus + 1);
    core = core.substr(0, plus);
    for (const auto& id : split(v.build, '.'))
      if (!valid_identifier(id)) {
        fail(error, "invalid build metadata '" + v.build + "'");
        return std::nullopt;
      }
  }
  auto dash = core.find('-');
  if (dash != std::string::npos) {
    for (const auto& id : split(core.substr(dash + 1), '.')) {
      if (!valid_prerelease_identifier(id)) {
        fail(error, "invalid pre-release '" + core.substr(dash + 1) + "'");
        return std::nullopt;
      }
      v.prerelease.push_back(id);
    }
    core = core.substr(0, dash);
  }
  auto parts = split(core, '.');
  if (parts.size() != 3 || !parse_number(parts[0], v.major) || !parse_number(parts[1], v.minor) ||
      !parse_number(parts[2], v.patch)) {
    fail(error, "'" + text + "' is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.2.0)");
    return std::nullopt;
  }
  return v;
}

std::string SemVer::to_string() const {
  std::ostringstream out;
  out << major << '.' << minor << '.' << patch;
  for (std::size_t i = 0; i < prerelease.size(); ++i) out << (i ? '.' : '-') << prerelease[i];
  if (!build.empty()) out << '+' << build;
  return out.str();
}

int compare(const SemVer& a, const SemVer& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  // A release ranks above any of its pre-releases.
  if (a.prerelease.empty() != b.prerelease.empty()) return a.prerelease.empty() ? 1 : -1;
  for (std::size_t i = 0; i < a.prerelease.size() && i < b.prerelease.size(); ++i) {
    const auto &x = a.prerelease[i], &y = b.prerelease[i];
    bool xn = all_digits(x), yn = all_digits(y);
    if (xn && yn) {
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
      if (x != y) return x < y ? -1 : 1;
    } else if (xn != yn) {
      return xn ? -1 : 1;  // numeric identifiers rank below alphanumeric ones
    } else if (x != y) {
      return x < y ? -1 : 1;
    }
  }
  if (a.prerelease.size() != b.prerelease.size())
    return a.prerelease.size() < b.prerelease.size() ? -1 : 1;
  return 0;
}

// A partial version as ranges write it: "1", "1.2", "1.2.3", with x/X/* wildcards.
namespace {
struct Partial {
  long part[3] = {0, 0, 0};
  int given = 0;  // how many leading parts are numbers
  std::vector<std::string> prerelease;
};

bool parse_partial(const std::string& text, Partial& out, std::string* error) {
  std::string core = text;
  auto plus = core.find('+');
  if (plus != std::string::npos) {
    // Build metadata is ignored, but must still be well-formed, as in SemVer::parse.
    for (const auto& id : split(core.substr(plus + 1), '.'))
      if (!valid_identifier(id)) return fail(error, "invalid version '" + text + "'");
    core = core.substr(0, plus);
  }
  auto dash = core.find('-');
  if (dash != std::string::npos) {
    out.prerelease = split(core.substr(dash + 1), '.');
    for (const auto& id : out.prerelease)
      if (!valid_prerelease_identifier(id)) return fail(error, "invalid version '" + text + "'");
    core = core.substr(0, dash);
  }
  auto parts = split(core, '.');
  if (parts.empty() || parts.size() > 3) return fail(error, "invalid version '" + text + "'");
  bool wildcard_seen = false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& p = parts[i];
    if (p == "x" || p == "X" || p == "*") {
      wildcard_seen = true;
      continue;
    }
    if (wildcard_seen || !parse_number(p, out.part[i]))
      return fail(error, "invalid version '" + text + "'");
    out.given = static_cast<int>(i) + 1;
  }
  if (!out.prerelease.empty() && out.given != 3)
    return fail(error, "invalid version '" + text + "'");
  return true;
}

SemVer make(long major, long minor, long patch, std::vector<std::string> pre = {}) {
  SemVer v;
  v.major = major;
  v.minor = minor;
  v.patch = patch;
  v.prerelease = std::move(pre);
  return v;
}

// The smallest version above every version matching the partial's given parts.
SemVer upper_bound(const Partial& p) {
  if (p.given <= 1) return make(p.part[0] + 1, 0, 0, {"0"});
  return make(p.part[0], p.part[1] + 1, 0, {"0"});
}
}  // namespace

bool VersionRange::parse_clause(const std::string& clause, std::vector<Comparator>& out,
                                std::string* error) {
  std::istringstream words(clause);
  std::string word;
  std::vector<std::string> tokens;
  while (words >> word) {
    // Allow ">= 1.2" as well as ">=1.2": glue a lone operator to the next word.
    if (!tokens.empty() && (tokens.back() == ">=" || tokens.back() == "<=" ||
                            tokens.back() == ">" || tokens.back() == "<" || tokens.back() == "=" ||
                            tokens.back() == "^" || tokens.back() == "~"))
      tokens.back() += word;
    else
      tokens.push_back(word);
  }
  for (auto& t : tokens)
    if (!t.empty() && t.back() == ',') t.pop_back();
  if (tokens.empty()) tokens.push_back("*");
  for (const auto& token : tokens) {
    std::string op, rest = token;
    for (const char* candidate : {">=", "<=", ">", "<", "=", "^", "~"}) {
      std::string c = candidate;
      if (rest.compare(0, c.size(), c) == 0) {
        op = c;
        rest = rest.substr(c.size());
        break;
      }
    }
    if (!rest.empty() && (rest[0] == 'v' || rest[0] == 'V')) rest = rest.substr(1);
    Partial p;
    if (!parse_partial(rest, p, error)) return false;
    auto lo = make(p.part[0], p.part[1], p.part[2], p.prerelease);
    using Op = Comparator::Op;
    if ((op == "^" || op == "~") && p.given == 0) {
      // "^*", "~x": no part is fixed, so any version (not "^0", which the unset parts read as).
    } else if (op == "^") {
      SemVer hi;
      if (p.part[0] > 0 || p.given <= 1)
        hi = make(p.part[0] + 1, 0, 0, {"0"});
      else if (p.part[1] > 0 || p.given == 2)
        hi = make(0, p.part[1] + 1, 0, {"0"});
      else
        hi = make(0, 0, p.part[2] + 1, {"0"});
      out.push_back({Op::Ge, lo});
      out.push_back({Op::Lt, hi});
    } else if (op == "~") {
      out.push_back({Op::Ge, lo});
      out.push_back(
          {Op::Lt, p.given <= 1 ? upper_bound(p) : make(p.part[0], p.part[1] + 1, 0, {"0"})});
    } else if (p.given == 0) {
      if (op == "<" || op == ">") return fail(error, "'" + token + "' matches no version");
      // "*", ">=*": any version.
    } else if (p.given < 3) {
      // A partial version stands for the whole range it names.
      if (op.empty() || op == "=") {
        out.push_back({Op::Ge, lo});
        out.push_back({Op::Lt, upper_bound(p)});
      } else if (op == ">=") {
        out.push_back({Op::Ge, lo});
      } else if (op == ">") {
        out.push_back({Op::Ge, upper_bound(p)});
      } else if (op == "<") {
        out.push_back({Op::Lt, make(lo.major, lo.minor, lo.patch, {"0"})});
      } else {  // <=
        out.push_back({Op::Lt, upper_bound(p)});
      }
    } else {
      Op o = op == ">="   ? Op::Ge
             : op == "<=" ? Op::Le
             : op == ">"  ? Op::Gt
             : op == "<"  ? Op::Lt
                          : Op::Eq;
      out.push_back({o, lo});
    }
  }
  return true;
}

std::optional<VersionRange> VersionRange::parse(const std::string& text, std::string* error) {
  VersionRange range;
  range.text_ = text;
  std::string rest = text;
  while (true) {
    auto bar = rest.find("||");
    std::string clause = rest.substr(0, bar);
    // An empty alternative would match every version: refuse it, since a typo in a
    // conflicts range would otherwise conflict with everything.
    if (clause.find_first_not_of(" \t") == std::string::npos &&
        (bar != std::string::npos || rest != text)) {
      fail(error, "invalid version range '" + text + "': an alternative around '||' is empty");
      return std::nullopt;
    }
    std::vector<Comparator> comparators;
    std::string why;
    if (!parse_clause(clause, comparators, &why)) {
      fail(error, "invalid version range '" + text + "': " + why);
      return std::nullopt;
    }
    range.alternatives_.push_back(std::move(comparators));
    if (bar == std::string::npos) break;
    rest = rest.substr(bar + 2);
  }
  return range;
}

bool VersionRange::contains(const SemVer& version) const {
  for (const auto& all : alternatives_) {
    bool ok = true;
    for (const auto& c : all) {
      int cmp = compare(version, c.version);
      switch (c.op) {
        case Comparator::Op::Eq:
          ok = cmp == 0;
          break;
        case Comparator::Op::Lt:
          ok = cmp < 0;
          break;
        case Comparator::Op::Le:
          ok = cmp <= 0;
          break;
        case Comparator::Op::Gt:
          ok = cmp > 0;
          break;
        case Comparator::Op::Ge:
          ok = cmp >= 0;
          break;
      }
      if (!ok) break;
    }
    if (ok) return true;
  }
  return false;
}

std::optional<PluginRequirement> PluginRequirement::parse(const std::string& text,
                                                          std::string* error) {
  auto at = text.find('@');
  std::string plugin = text.substr(0, at);
  std::string range_text = at == std::string::npos ? "*" : text.substr(at + 1);
  if (plugin.empty()) {
    fail(error, "'" + text + "' names no plugin before '@'");
    return std::nullopt;
  }
  if (range_text.find_first_not_of(" \t") == std::string::npos) {
    fail(error, "'" + text + "' has no version range after '@' (write '" + plugin + "@*' for any)");
    return std::nullopt;
  }
  auto range = VersionRange::parse(range_text, error);
  if (!range) return std::nullopt;
  return PluginRequirement{plugin, *range};
}

}  // namespace migpkg
