// `convert --to dsl` keeping comments, `use` lines and groups (dsl_source_print.hpp).
#include "compiler/dsl/dsl_source_print.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "compiler/dsl/dsl_printer.hpp"

namespace migpkg::dsl {
namespace {

// The DSL source as far as comments need it: words, comments, brackets and the rest, with
// byte offsets, 1-based lines and byte columns (the IR's locations count bytes too). Strings
// and dollar-quoted blocks are one token each, so a `--` inside them is no comment.
struct Token {
  enum Kind { Word, Comment, Open, Close, Other } kind;
  std::size_t begin, end;  // byte offsets [begin, end)
  int line, column;
  int depth;        // brackets open before the token (after it, for a closing one)
  bool after_code;  // another non-comment token is on the same line before it
};

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::vector<Token> scan(const std::string& s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  int line = 1, depth = 0, code_line = 0;
  std::size_t line_start = 0;
  auto advance_to = [&](std::size_t end) {
    for (; i < end && i < s.size(); ++i)
      if (s[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n' || c == ' ' || c == '\t' || c == '\r') {
      advance_to(i + 1);
      continue;
    }
    Token t{Token::Other,     i, i + 1, line, static_cast<int>(i - line_start) + 1, depth,
            code_line == line};
    if (s.compare(i, 2, "--") == 0) {
      t.kind = Token::Comment;
      t.end = std::min(s.find('\n', i), s.size());
    } else if (s.compare(i, 2, "/*") == 0) {
      t.kind = Token::Comment;
      std::size_t close = s.find("*/", i + 2);
      t.end = close == std::string::npos ? s.size() : close + 2;
    } else if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != c) j += (s[j] == '\\' && c == '"') ? 2 : 1;
      t.end = std::min(j + 1, s.size());
    } else if (c == '$') {
      std::size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      if (j < s.size() && s[j] == '$') {
        std::string tag = s.substr(i, j + 1 - i);
        std::size_t close = s.find(tag, j + 1);
        t.end = close == std::string::npos ? s.size() : close + tag.size();
      }
    } else if (c == '(' || c == '{') {
      t.kind = Token::Open;
      ++depth;
    } else if (c == ')' || c == '}') {
      t.kind = Token::Close;
      t.depth = --depth;
    } else if (word_char(c)) {
      t.kind = Token::Word;
      std::size_t j = i;
      while (j < s.size() && word_char(s[j]) && s.compare(j, 2, "--") != 0) ++j;
      t.end = j;
    }
    if (t.kind != Token::Comment) code_line = line;
    tokens.push_back(t);
    advance_to(t.end);
    if (t.kind != Token::Comment) code_line = line;  // a multi-line string ends on a code line
  }
  return tokens;
}

using Position = std::pair<int, int>;  // line, column

struct Anchor {
  CommentAnchor key;
  Position at;  // where it is in the source
};

// First pass: which anchors the printer offers, in the order it prints them.
class AnchorCollector final : public PrintHooks {
 public:
  explicit AnchorCollector(std::map<Position, std::string> groups) : groups_(std::move(groups)) {}
  std::string leading(const CommentAnchor& anchor, const std::string&) override {
    offered.insert(anchor);
    return "";
  }
  std::string trailing(const CommentAnchor&) override { return ""; }
  std::string group_at(const SourceLocation& at) override {
    auto it = groups_.find({at.line, at.column});
    return it == groups_.end() ? "" : it->second;
  }
  std::string preamble() override { return ""; }
  std::string epilogue() override { return ""; }
  std::set<CommentAnchor> offered;

 private:
  std::map<Position, std::string> groups_;
};

// Second pass: each comment where the attachment put it, each once.
class SourceComments final : public PrintHooks {
 public:
  std::map<CommentAnchor, std::vector<std::string>> before;
  std::map<CommentAnchor, std::string> after;
  std::map<Position, std::string> groups;
  std::string preamble_text, epilogue_text;

  std::string leading(const CommentAnchor& anchor, const std::string& indent) override {
    auto it = before.find(anchor);
    if (it == before.end()) return "";
    std::string out;
    for (const auto& comment : it->second) out += indent + comment + "\n";
    before.erase(it);
    return out;
  }
  std::string trailing(const CommentAnchor& anchor) override {
    auto it = after.find(anchor);
    if (it == after.end()) return "";
    std::string out = it->second;
    after.erase(it);
    return out;
  }
  std::string group_at(const SourceLocation& at) override {
    auto it = groups.find({at.line, at.column});
    return it == groups.end() ? "" : it->second;
  }
  std::string preamble() override { return preamble_text; }
  // Printed last: the comments that precede nothing, and any whose anchor the printer did not
  // reach, so that no comment is ever dropped.
  std::string epilogue() override {
    std::string out = epilogue_text;
    for (const auto& [anchor, comments] : before)
      for (const auto& comment : comments) out += comment + "\n";
    for (const auto& [anchor, comment] : after) out += comment.substr(2) + "\n";
    before.clear();
    after.clear();
    if (!out.empty() && epilogue_text.empty()) out = "\n" + out;
    return out;
  }
};

const std::set<std::string>& member_words() {
  static const std::set<std::string> words = {
      "version", "name",    "description", "type",      "category", "risk",    "requires", "no",
      "engines", "depends", "conflicts",   "estimated", "created",  "updated", "up",       "down"};
  return words;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string print_dsl_keeping_source(const std::vector<ir::Migration>& migrations,
                                     const std::string& source) {
  auto tokens = scan(source);
  auto text = [&](const Token& t) { return source.substr(t.begin, t.end - t.begin); };
  auto next_code = [&](std::size_t i) {
    for (++i; i < tokens.size() && tokens[i].kind == Token::Comment;) ++i;
    return i;
  };

  // The file's own items (plugin, use, group: kept as written), the groups `use` gives a
  // table, and where each migration's member lines are.
  std::map<Position, std::string> groups;
  std::vector<Anchor> anchors;
  struct TopItem {
    std::size_t begin, end;
    CommentAnchor key;
  };
  std::vector<TopItem> top_items;
  std::map<std::pair<Position, std::string>, Position> members;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind != Token::Word) continue;
    std::string word = lower(text(t));
    Position at{t.line, t.column};
    if (t.depth == 0 && word == "plugin") {
      anchors.push_back({{0, 0, "plugin"}, at});
    } else if (t.depth == 0 && (word == "use" || word == "group")) {
      std::size_t last = next_code(i);
      if (word == "group") {
        // to the `)` that closes the group's columns
        while (last < tokens.size() &&
               !(tokens[last].kind == Token::Close && tokens[last].depth == 0))
          ++last;
      }
      if (last >= tokens.size()) continue;  // the front end reported it already
      CommentAnchor key{0, 0, "top#" + std::to_string(top_items.size())};
      top_items.push_back({t.begin, tokens[last].end, key});
      anchors.push_back({key, at});
      i = last;
    } else if (t.depth >= 2 && word == "use") {
      std::size_t name = next_code(i);
      if (name < tokens.size() && tokens[name].kind == Token::Word) groups[at] = text(tokens[name]);
    } else if ((t.depth == 0 && word == "migration") ||
               (t.depth >= 2 && word == "step" && !t.after_code)) {
      // A block's member lines: the words that start a line directly inside its braces. The
      // IR locates a migration at its id and a step block at `step`.
      std::size_t id = next_code(i);
      if (id >= tokens.size()) continue;
      Position owner = word == "step" ? at : Position{tokens[id].line, tokens[id].column};
      for (std::size_t j = next_code(id); j < tokens.size(); ++j) {
        const Token& m = tokens[j];
        if (m.kind == Token::Close && m.depth == t.depth) break;
        if (m.kind == Token::Word && m.depth == t.depth + 1 && !m.after_code &&
            (word == "step" || member_words().count(lower(text(m)))))
          members.emplace(std::make_pair(owner, lower(text(m))), Position{m.line, m.column});
      }
    }
  }

  AnchorCollector collector(groups);
  print_dsl(migrations, collector);
  for (const auto& key : collector.offered) {
    if (key.member.empty()) {
      if (key.line > 0) anchors.push_back({key, {key.line, key.column}});
    } else if (key.member != "plugin") {
      auto it = members.find({{key.line, key.column}, key.member});
      if (it != members.end()) anchors.push_back({key, it->second});
    }
  }
  std::stable_sort(anchors.begin(), anchors.end(),
                   [](const Anchor& a, const Anchor& b) { return a.at < b.at; });

  SourceComments hooks;
  hooks.groups = groups;
  for (const Token& t : tokens) {
    if (t.kind != Token::Comment) continue;
    bool inside_top_item = false;
    for (const auto& item : top_items)
      inside_top_item = inside_top_item || (t.begin > item.begin && t.begin < item.end);
    if (inside_top_item) continue;  // kept with the item's text
    std::string comment = text(t);
    while (!comment.empty() && (comment.back() == ' ' || comment.back() == '\t'))
      comment.pop_back();
    Position at{t.line, t.column};
    if (t.after_code) {
      // It ends a line: the first anchor on that line takes it.
      auto it = std::find_if(anchors.begin(), anchors.end(), [&](const Anchor& a) {
        return a.at.first == t.line && a.at.second < t.column;
      });
      if (it != anchors.end()) {
        hooks.after[it->key] += "  " + comment;
        continue;
      }
    }
    // On a line of its own (or ending a line no anchor starts): before the next anchor.
    auto next =
        std::find_if(anchors.begin(), anchors.end(), [&](const Anchor& a) { return a.at > at; });
    if (next == anchors.end())
      hooks.epilogue_text += (hooks.epilogue_text.empty() ? "\n" : "") + comment + "\n";
    else
      hooks.before[next->key].push_back(comment);
  }
  // The file's use lines and groups, each with its comments, in the order written.
  std::string preamble;
  for (std::size_t n = 0; n < top_items.size(); ++n) {
    const auto& item = top_items[n];
    bool is_group = lower(source.substr(item.begin, 5)) == "group";
    if (is_group && n > 0) preamble += "\n";
    preamble += hooks.leading(item.key, "") + source.substr(item.begin, item.end - item.begin) +
                hooks.trailing(item.key) + "\n";
  }
  hooks.preamble_text = preamble;
  return print_dsl(migrations, hooks);
}

}  // namespace migpkg::dsl
