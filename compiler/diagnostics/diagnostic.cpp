#include "compiler/diagnostics/diagnostic.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace migpkg {

const char* to_string(DiagnosticSeverity severity) {
  switch (severity) {
    case DiagnosticSeverity::Error:
      return "error";
    case DiagnosticSeverity::Warning:
      return "warning";
    case DiagnosticSeverity::Note:
      return "note";
  }
  return "error";
}

void Diagnostics::error(std::string code, const SourceLocation& where, std::string message,
                        std::string hint) {
  add({DiagnosticSeverity::Error, std::move(code), std::move(message), where, std::move(hint)});
}

void Diagnostics::warning(std::string code, const SourceLocation& where, std::string message,
                          std::string hint) {
  add({DiagnosticSeverity::Warning, std::move(code), std::move(message), where, std::move(hint)});
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const {
  return error_count() > 0;
}

std::size_t Diagnostics::error_count() const {
  return std::count_if(items_.begin(), items_.end(),
                       [](const Diagnostic& d) { return d.severity == DiagnosticSeverity::Error; });
}

std::size_t Diagnostics::warning_count() const {
  return std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == DiagnosticSeverity::Warning;
  });
}

void Diagnostics::sort() {
  // Pointers compare segment-wise with numbers numerically, so /up/10 follows /up/9.
  auto pointer_key = [](const std::string& pointer) {
    std::vector<std::pair<long, std::string>> key;
    std::size_t start = 0;
    while (start < pointer.size()) {
      auto end = pointer.find('/', start + 1);
      std::string token =
          pointer.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
      bool numeric = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      });
      key.emplace_back(numeric && token.size() < 10 ? std::stol(token) : -1, token);
      if (end == std::string::npos) break;
      start = end;
    }
    return key;
  };
  std::stable_sort(items_.begin(), items_.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    const auto &x = a.location, &y = b.location;
    if (x.file != y.file) return x.file < y.file;
    if (x.line != y.line) return x.line < y.line;
    if (x.column != y.column) return x.column < y.column;
    return pointer_key(x.pointer) < pointer_key(y.pointer);
  });
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring letters each cost one, so "stpes" is one edit from "steps".
static std::size_t edit_distance(const std::string& a, const std::string& b) {
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      bool same = lower(a[i - 1]) == lower(b[j - 1]);
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  // Between equally close candidates, the one that ends like the word wins: typos keep the end
  // of a word more often than not (`timestampz` is timestamptz rather than timestamp).
  auto common_suffix = [&](const std::string& candidate) {
    std::size_t n = 0;
    while (n < word.size() && n < candidate.size() &&
           std::tolower(static_cast<unsigned char>(word[word.size() - 1 - n])) ==
               std::tolower(static_cast<unsigned char>(candidate[candidate.size() - 1 - n])))
      ++n;
    return n;
  };
  std::string best;
  std::size_t best_distance = 0, best_suffix = 0;
  for (const auto& candidate : candidates) {
    std::size_t d = edit_distance(word, candidate);
    std::size_t suffix = common_suffix(candidate);
    if (best.empty() || d < best_distance || (d == best_distance && suffix > best_suffix)) {
      best = candidate;
      best_distance = d;
      best_suffix = suffix;
    }
  }
  // Only suggest what is plausibly a typo: a third of the word may differ, at least one edit.
  std::size_t limit = std::max<std::size_t>(1, std::max(word.size(), best.size()) / 3);
  if (word.size() < 2) return {};  // any one-letter word is one edit from any other
  return !best.empty() && best_distance <= limit ? best : std::string{};
}

}  // namespace migpkg
