// File-system and text helpers the peer readers share.
#include "compiler/convert/peer_files.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

#include "compiler/convert/peer_history.hpp"
#include "compiler/util/file_text.hpp"
#include "compiler/util/utf8.hpp"

namespace migpkg::convert {

namespace {
constexpr std::size_t kMaxPeerFile = 16u << 20;
constexpr int kMaxDepth = 16;  // a history nested deeper than this is not a migrations folder

void collect(const std::string& root, const std::string& relative, int depth,
             std::vector<std::string>& out) {
  if (depth > kMaxDepth)
    throw PeerError(join_path(root, relative) + ": directories nested more than " +
                    std::to_string(kMaxDepth) + " deep");
  for (const auto& name : dir_entries(join_path(root, relative))) {
    std::string rel = relative.empty() ? name : relative + "/" + name;
    struct stat info {};
    if (lstat(join_path(root, rel).c_str(), &info) != 0) continue;
    if (S_ISLNK(info.st_mode))
      // Skipping it could drop a migration without a word; following it could read outside.
      throw PeerError(join_path(root, rel) +
                      ": a symbolic link; convert reads the files of the folder themselves");
    if (S_ISDIR(info.st_mode))
      collect(root, rel, depth + 1, out);
    else if (S_ISREG(info.st_mode))
      out.push_back(rel);
  }
}
}  // namespace

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_symbolic_link(const std::string& path) {
  struct stat info {};
  return lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

bool is_dir(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::vector<std::string> dir_entries(const std::string& path) {
  std::vector<std::string> names;
  DIR* dir = opendir(path.c_str());
  if (!dir) throw PeerError(path + ": cannot read the directory");
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> files_below(const std::string& root) {
  std::vector<std::string> out;
  collect(root, "", 0, out);
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_peer_file(const std::string& path) {
  FileText file = read_file_text(path, kMaxPeerFile);
  if (file.error == FileTextError::TooLarge)
    throw PeerError(path + ": larger than 16 MiB (" + std::to_string(file.size) + " bytes)");
  if (file.error) throw PeerError(path + ": cannot read the file");
  std::size_t bad = first_invalid_utf8(file.text);
  if (bad != std::string::npos) {
    int line = 1 + static_cast<int>(std::count(file.text.begin(), file.text.begin() + bad, '\n'));
    throw PeerError(path + ":" + std::to_string(line) + ": not UTF-8 (byte " + std::to_string(bad) +
                    ")");
  }
  std::string text;
  text.reserve(file.text.size());
  for (std::size_t i = 0; i < file.text.size(); ++i)
    if (!(file.text[i] == '\r' && i + 1 < file.text.size() && file.text[i + 1] == '\n'))
      text += file.text[i];
  // A byte-order mark is not part of the SQL.
  if (starts_with(text, "\xEF\xBB\xBF")) text.erase(0, 3);
  return text;
}

std::string join_path(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (name.empty()) return dir;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string trim(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  std::size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string join_lines(const std::vector<std::string>& lines, std::size_t from, std::size_t to) {
  to = std::min(to, lines.size());
  while (from < to && trim(lines[from]).empty()) ++from;
  while (to > from && trim(lines[to - 1]).empty()) --to;
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    std::string line = lines[i];
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    out += line;
    if (i + 1 < to) out += "\n";
  }
  return out;
}

int compare_numbers(const std::string& a, const std::string& b) {
  std::size_t i = a.find_first_not_of('0'), j = b.find_first_not_of('0');
  std::string x = i == std::string::npos ? "" : a.substr(i);
  std::string y = j == std::string::npos ? "" : b.substr(j);
  if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
  return x.compare(y) < 0 ? -1 : (x == y ? 0 : 1);
}

std::string statement_needing_no_transaction(const std::string& sql) {
  static const std::regex pattern(
      R"(\b(create\s+(unique\s+)?index\s+concurrently|drop\s+index\s+concurrently|reindex\b[^;]*\bconcurrently|refresh\s+materialized\s+view\s+concurrently|vacuum)\b)",
      std::regex::icase);
  auto lines = split_lines(sql);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    std::size_t comment = line.find("--");
    if (comment != std::string::npos) line.erase(comment);
    std::smatch match;
    if (std::regex_search(line, match, pattern)) {
      std::string words;
      std::istringstream in(match.str());
      for (std::string w; in >> w;) words += (words.empty() ? "" : " ") + w;
      for (auto& c : words) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return words + " at line " + std::to_string(i + 1);
    }
  }
  return "";
}

}  // namespace migpkg::convert
