#include "compiler/diagnostics/render.hpp"

#include <algorithm>
#include <fstream>

namespace migpkg {
namespace {

// The given line of a file, or "" when it cannot be read (the caret is then left out).
std::string source_line(const std::string& file, int line) {
  std::ifstream in(file, std::ios::binary);
  std::string text;
  for (int i = 1; i <= line && std::getline(in, text); ++i)
    if (i == line) return text;
  return {};
}

// A long line (minified JSON) is cut to a window around the column, so the caret stays in view.
void clip(std::string& line, int& column) {
  const int half = 50;
  if (line.size() <= 2 * half + 20) return;
  int start = std::max(0, column - 1 - half);
  std::string cut = line.substr(static_cast<std::size_t>(start), 2 * half);
  bool head = start > 0, tail = static_cast<std::size_t>(start + 2 * half) < line.size();
  line = (head ? "..." : "") + cut + (tail ? "..." : "");
  column = column - start + (head ? 3 : 0);
}

}  // namespace

std::string render_diagnostic(const Diagnostic& d) {
  const SourceLocation& at = d.location;
  std::string out = at.file;
  if (at.line > 0) out += ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
  if (!at.pointer.empty()) out += ": " + at.pointer;
  out += std::string(out.empty() ? "" : ": ") + to_string(d.severity) + ": " + d.message + "\n";
  if (at.line > 0) {
    std::string line = source_line(at.file, at.line);
    int column = at.column;
    if (!line.empty() && column >= 1 && static_cast<std::size_t>(column) <= line.size() + 1) {
      clip(line, column);
      std::string caret;
      for (int i = 1; i < column; ++i) caret += line[i - 1] == '\t' ? '\t' : ' ';
      out += "  " + line + "\n  " + caret + "^\n";
    }
  }
  if (!d.hint.empty()) out += "  hint: " + d.hint + "\n";
  return out;
}

nlohmann::ordered_json diagnostics_json(const Diagnostics& diagnostics) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& d : diagnostics.items()) {
    nlohmann::ordered_json j;
    j["severity"] = to_string(d.severity);
    j["code"] = d.code;
    j["message"] = d.message;
    auto location = location_to_json(d.location);
    for (auto& [key, value] : location.items()) j[key] = value;
    if (!d.hint.empty()) j["hint"] = d.hint;
    out.push_back(j);
  }
  return out;
}

nlohmann::ordered_json location_to_json(const SourceLocation& location) {
  nlohmann::ordered_json out;
  out["file"] = location.file.str();
  if (!location.pointer.empty()) out["pointer"] = location.pointer;
  if (location.line > 0) out["line"] = location.line;
  if (location.column > 0) out["column"] = location.column;
  return out;
}

}  // namespace migpkg
