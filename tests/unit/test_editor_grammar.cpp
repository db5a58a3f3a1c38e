// The TextMate grammar of .mig files (editors/textmate/migpkg.tmLanguage.json) against the DSL's
// lexer (grammar/Migpkg.g4). A small TextMate tokenizer runs the grammar line by line as an
// editor does (the earliest match wins, the first pattern on a tie; a begin/end region spans
// lines, its end may name the begin's captures); its regular expressions run in std::regex's
// ECMAScript syntax, so the test also holds the grammar to the subset Oniguruma (editors) and
// ECMAScript share, plus a leading (?i). Then every keyword and literal of the .g4 must be
// scoped, and on every .mig file in the tree the grammar must scope exactly the keywords,
// strings, numbers, comments and punctuation the lexer reads, in order -- no keyword left
// unscoped and no name scoped as a keyword.
// The generated header first: MigpkgParser.h declares CHECK(), which Catch2 defines as a macro.
#include "MigpkgLexer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

// A grammar pattern as std::regex, refusing what is not in the common subset: any group but
// (?: (?= (?!, and any escape of a letter but \b \B \d \D \w \W \s \S \n \r \t.
std::regex portable_regex(std::string source) {
  auto flags = std::regex::ECMAScript;
  if (source.rfind("(?i)", 0) == 0) {
    source = source.substr(4);
    flags |= std::regex::icase;
  }
  for (std::size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\\' && i + 1 < source.size()) {
      char next = source[++i];
      bool letter = std::isalpha(static_cast<unsigned char>(next)) != 0;
      if (letter && std::string("bBdDwWsSnrt").find(next) == std::string::npos)
        FAIL("escape \\" << next << " is not portable in " << source);
    } else if (source.compare(i, 2, "(?") == 0) {
      char kind = i + 2 < source.size() ? source[i + 2] : '\0';
      if (kind != ':' && kind != '=' && kind != '!')
        FAIL("group (?" << kind << " is not portable in " << source);
    }
  }
  return std::regex(source, flags);
}

struct Rule {
  std::string name;  // the scope
  std::regex start;  // match, or begin
  bool region = false;
  std::string end;  // a region's end, before its \N are replaced
};

std::vector<Rule> flatten(const nlohmann::json& grammar, const nlohmann::json& patterns) {
  std::vector<Rule> rules;
  for (const auto& pattern : patterns) {
    if (pattern.contains("include")) {
      std::string target = pattern["include"];
      REQUIRE(target.rfind("#", 0) == 0);
      auto more = flatten(grammar, grammar["repository"][target.substr(1)]["patterns"]);
      rules.insert(rules.end(), more.begin(), more.end());
      continue;
    }
    Rule rule;
    rule.name = pattern.value("name", "");
    if (pattern.contains("match")) {
      rule.start = portable_regex(pattern["match"]);
    } else {
      REQUIRE(pattern.contains("begin"));
      rule.region = true;
      rule.start = portable_regex(pattern["begin"]);
      rule.end = pattern["end"];
      // What a region holds is scoped by other grammars only (source.sql): its own rules would
      // need a tokenizer this one is not.
      for (const auto& inner : pattern.value("patterns", nlohmann::json::array())) {
        std::string target = inner.value("include", "#");
        CHECK((target[0] != '#' && target[0] != '$'));
      }
    }
    rules.push_back(rule);
  }
  return rules;
}

const std::vector<Rule>& grammar_rules() {
  static const std::vector<Rule> rules = [] {
    auto grammar =
        nlohmann::json::parse(read_file(source_dir() + "/editors/textmate/migpkg.tmLanguage.json"));
    REQUIRE(grammar["scopeName"] == "source.migpkg");
    return flatten(grammar, grammar["patterns"]);
  }();
  return rules;
}

std::string escaped(const std::string& text) {
  static const std::regex special(R"([.^$|()\[\]{}*+?\\/-])");
  return std::regex_replace(text, special, "\\$&");
}

struct Token {
  std::string scope;
  std::string text;
};

// The scoped tokens of `text`, regions whole.
std::vector<Token> tokenize(const std::string& text) {
  std::vector<Token> tokens;
  const Rule* region = nullptr;
  std::regex region_end;
  std::string region_text;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t pos = 0;
    while (pos <= line.size()) {
      auto flags =
          pos > 0 ? std::regex_constants::match_prev_avail : std::regex_constants::match_default;
      std::smatch match;
      if (region) {
        if (!std::regex_search(line.cbegin() + pos, line.cend(), match, region_end, flags)) {
          region_text += line.substr(pos) + "\n";
          break;
        }
        std::size_t end = pos + match.position(0) + match.length(0);
        region_text += line.substr(pos, end - pos);
        tokens.push_back({region->name, region_text});
        region = nullptr;
        pos = end;
        continue;
      }
      const Rule* best = nullptr;
      std::smatch best_match;
      std::size_t best_at = std::string::npos;
      for (const auto& rule : grammar_rules()) {
        if (!std::regex_search(line.cbegin() + pos, line.cend(), match, rule.start, flags))
          continue;
        if (match.length(0) == 0) continue;
        std::size_t at = pos + match.position(0);
        if (at < best_at) {
          best = &rule;
          best_at = at;
          best_match = match;
        }
      }
      if (!best) break;
      std::size_t end = best_at + best_match.length(0);
      if (best->region) {
        std::string end_source = best->end;
        for (int group = 9; group >= 1; --group)
          end_source = std::regex_replace(
              end_source, std::regex("\\\\" + std::to_string(group)),
              group < static_cast<int>(best_match.size()) ? escaped(best_match.str(group)) : "");
        region = best;
        region_end = portable_regex(end_source);
        region_text = best_match.str(0);
      } else if (!best->name.empty()) {
        tokens.push_back({best->name, best_match.str(0)});
      }
      pos = end;
    }
  }
  if (region) tokens.push_back({region->name, region_text});
  return tokens;
}

// What a token is, for comparing the two: "keyword", a literal by its text, or the scope's
// kind of string, number or comment.
std::string scope_kind(const Token& token) {
  const std::string& scope = token.scope;
  if (scope.rfind("punctuation.", 0) == 0 || scope.rfind("keyword.operator.", 0) == 0)
    return "literal " + token.text;
  if (scope.rfind("keyword.", 0) == 0 || scope.rfind("constant.language.", 0) == 0)
    return "keyword";
  for (const char* kind :
       {"string.quoted.double", "string.quoted.single", "string.quoted.other.dollar",
        "constant.numeric.version", "constant.numeric.decimal", "constant.numeric.integer",
        "comment.line", "comment.block"})
    if (scope.rfind(kind, 0) == 0) return kind;
  return "unknown scope " + scope;
}

// The keywords of the .g4: lexer rules spelled with the letter fragments, PLUGIN : P L U G I N ;
std::map<std::string, std::string> g4_keywords() {
  std::map<std::string, std::string> keywords;  // rule name -> spelling
  static const std::regex rule(R"(^([A-Z_]+) : ((?:[A-Z] )+);\s*$)");
  std::istringstream lines(read_file(source_dir() + "/grammar/Migpkg.g4"));
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, rule)) continue;
    std::string word = match.str(2);
    word.erase(std::remove(word.begin(), word.end(), ' '), word.end());
    keywords[match.str(1)] = word;
  }
  REQUIRE(keywords.size() > 50);
  return keywords;
}

// The literals of the parser rules ('{', ',', ...): quoted text before the lexer's first rule.
std::set<std::string> g4_parser_literals() {
  std::set<std::string> literals;
  std::istringstream lines(read_file(source_dir() + "/grammar/Migpkg.g4"));
  static const std::regex lexer_rule(R"(^[A-Z_]+ :)");
  static const std::regex literal(R"('([^']+)')");
  bool in_parser = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("grammar ", 0) == 0) in_parser = true;
    if (std::regex_search(line, lexer_rule)) break;
    if (!in_parser || line.find("//") == 0) continue;
    for (std::sregex_iterator it(line.begin(), line.end(), literal), end; it != end; ++it)
      literals.insert(it->str(1));
  }
  return literals;
}

std::string lexer_kind(const antlr4::Token& token, const antlr4::dfa::Vocabulary& vocabulary,
                       const std::set<std::string>& keyword_rules) {
  std::string name = vocabulary.getSymbolicName(token.getType());
  if (keyword_rules.count(name)) return "keyword";
  static const std::map<std::string, std::string> kinds = {
      {"STRING", "string.quoted.double"},
      {"SQL_STRING", "string.quoted.single"},
      {"DOLLAR_TEXT", "string.quoted.other.dollar"},
      {"VERSION_NUMBER", "constant.numeric.version"},
      {"DECIMAL", "constant.numeric.decimal"},
      {"INT", "constant.numeric.integer"},
      {"LINE_COMMENT", "comment.line"},
      {"BLOCK_COMMENT", "comment.block"}};
  if (kinds.count(name)) return kinds.at(name);
  if (name.empty()) return "literal " + token.getText();  // a parser rule's literal
  return "";                                              // NAME, WS, OTHER: not scoped
}

std::string describe(const std::vector<std::pair<std::string, std::string>>& tokens,
                     std::size_t at) {
  std::ostringstream out;
  for (std::size_t i = at > 3 ? at - 3 : 0; i < std::min(tokens.size(), at + 3); ++i)
    out << (i == at ? " >>" : " ") << "[" << tokens[i].first << ": " << tokens[i].second << "]";
  return out.str();
}

}  // namespace

TEST_CASE("the .mig grammar scopes every keyword and literal of grammar/Migpkg.g4", "[editors]") {
  for (const auto& [rule, word] : g4_keywords()) {
    std::string lower = word, mixed = word;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    mixed[0] = static_cast<char>(std::tolower(mixed[0]));
    for (const auto& spelling : {word, lower, mixed}) {
      INFO(rule << ": " << spelling);
      auto tokens = tokenize(spelling);
      REQUIRE(tokens.size() == 1);
      CHECK(scope_kind(tokens[0]) == "keyword");
      CHECK(tokens[0].text == spelling);
      // Inside a longer name it is no keyword (create-table-users, acme.on).
      CHECK(tokenize("x-" + spelling).empty());
      CHECK(tokenize(spelling + ".x").empty());
      CHECK(tokenize(spelling + "_x").empty());
    }
  }
  auto literals = g4_parser_literals();
  CHECK(literals == std::set<std::string>{"(", ")", ",", "-", ".", ":", "{", "}"});
  for (const auto& literal : literals) {
    INFO(literal);
    auto tokens = tokenize(literal);
    REQUIRE(tokens.size() == 1);
    CHECK(scope_kind(tokens[0]) == "literal " + literal);
  }
}

TEST_CASE("on every .mig file the grammar scopes exactly what the lexer reads", "[editors]") {
  auto keywords = g4_keywords();
  std::set<std::string> keyword_rules;
  for (const auto& entry : keywords) keyword_rules.insert(entry.first);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(source_dir())) {
    std::string path = entry.path().string();
    if (entry.path().extension() != ".mig" || path.find("/build") != std::string::npos ||
        path.find("/.git/") != std::string::npos)
      continue;
    ++files;
    INFO(path);
    std::string text = read_file(path);
    antlr4::ANTLRInputStream input(text);
    migpkg::dsl::generated::MigpkgLexer lexer(&input);
    lexer.removeErrorListeners();
    std::vector<std::pair<std::string, std::string>> lexed, scoped;
    for (auto token = lexer.nextToken(); token->getType() != antlr4::Token::EOF;
         token = lexer.nextToken()) {
      std::string kind = lexer_kind(*token, lexer.getVocabulary(), keyword_rules);
      if (!kind.empty()) lexed.emplace_back(kind, token->getText());
    }
    for (const auto& token : tokenize(text)) scoped.emplace_back(scope_kind(token), token.text);
    std::size_t at = 0;
    while (at < lexed.size() && at < scoped.size() && lexed[at] == scoped[at]) ++at;
    INFO("lexer:   " << describe(lexed, at));
    INFO("grammar: " << describe(scoped, at));
    CHECK(at == lexed.size());
    CHECK(at == scoped.size());
  }
  CHECK(files > 100);
}
