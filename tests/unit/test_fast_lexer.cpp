// The hand-written DSL lexer (compiler/dsl/fast_lexer) against the lexer ANTLR generates from
// grammar/Migpkg.g4: for every .mig file in the tree, the canonical DSL of every JSON case and
// example, every other file of tests/cases, hand-picked tricky inputs and a few thousand random
// ones, both must give the same tokens -- type, channel, start, stop, line, column and text.
// And the parser's view of the source text (SyntaxTree::text_between) must be what ANTLR's
// input stream gives for the same code point indices.
// The generated headers first: MigpkgParser.h declares a method CHECK(), which Catch2 defines
// as a macro.
#include "MigpkgLexer.h"
#include "compiler/dsl/fast_lexer.hpp"
#include "compiler/dsl/syntax.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <random>
#include <sstream>

#include "compiler/dsl/dsl_printer.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/json/json_loader.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;
using namespace migpkg::test;

namespace {

struct Lexed {
  std::vector<std::unique_ptr<antlr4::Token>> tokens;
  std::size_t errors = 0;
};

class CountingListener : public antlr4::BaseErrorListener {
 public:
  std::size_t count = 0;
  void syntaxError(antlr4::Recognizer*, antlr4::Token*, size_t, size_t, const std::string&,
                   std::exception_ptr) override {
    ++count;
  }
};

std::vector<std::unique_ptr<antlr4::Token>> drain(antlr4::TokenSource& source) {
  std::vector<std::unique_ptr<antlr4::Token>> tokens;
  for (;;) {
    tokens.push_back(source.nextToken());
    if (tokens.back()->getType() == antlr4::Token::EOF) return tokens;
    REQUIRE(tokens.size() < 10'000'000);
  }
}

std::string describe(const antlr4::Token& t) {
  std::ostringstream out;
  out << "type " << t.getType() << " channel " << t.getChannel() << " start " << t.getStartIndex()
      << " stop " << t.getStopIndex() << " line " << t.getLine() << " column "
      << t.getCharPositionInLine() << " text [" << t.getText() << "]";
  return out.str();
}

// Empty when both lexers agree; else the first difference.
std::string compare_lexers(const std::string& text) {
  antlr4::ANTLRInputStream input(text);
  dsl::generated::MigpkgLexer antlr_lexer(&input);
  antlr_lexer.removeErrorListeners();
  CountingListener listener;
  antlr_lexer.addErrorListener(&listener);
  auto expected = drain(antlr_lexer);
  dsl::FastLexer fast_lexer(text);
  auto actual = drain(fast_lexer);
  if (listener.count) return "the generated lexer reported an error";
  for (std::size_t i = 0; i < std::max(expected.size(), actual.size()); ++i) {
    std::string e = i < expected.size() ? describe(*expected[i]) : "nothing";
    std::string a = i < actual.size() ? describe(*actual[i]) : "nothing";
    if (e != a)
      return "token " + std::to_string(i) + ": generated lexer: " + e + "\n  fast lexer: " + a;
  }
  return {};
}

std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\f')
      out += "\\f";
    else
      out += c;
  }
  return out;
}

void check_same_tokens(const std::string& text, const std::string& label) {
  std::string difference = compare_lexers(text);
  INFO(label << ": " << escaped(text.size() > 400 ? text.substr(0, 400) + "..." : text));
  CHECK(difference == "");
}

std::vector<std::string> files_under(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    std::string path = entry.path().string();
    if (entry.is_regular_file() && path.size() >= suffix.size() &&
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
      files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> mig_files() {
  std::vector<std::string> files;
  for (const char* dir : {"packages", "stdlib", "tests"})
    for (const auto& f : files_under(source_dir() + "/" + dir, ".mig")) files.push_back(f);
  return files;
}

// The keywords' spellings, from the generated vocabulary.
std::vector<std::string> keywords() {
  antlr4::ANTLRInputStream input("");
  dsl::generated::MigpkgLexer lexer(&input);
  std::vector<std::string> out;
  for (std::size_t t = dsl::Parser::PLUGIN; t <= dsl::Parser::NULL_KW; ++t) {
    std::string name = lexer.getVocabulary().getSymbolicName(t);
    if (name.size() > 3 && name.compare(name.size() - 3, 3, "_KW") == 0)
      name.resize(name.size() - 3);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back(name);
  }
  return out;
}

const std::vector<std::string> kTricky = {
    "",
    " ",
    "\n",
    "\r\n",
    "a\r\nb\rc\n\td\f",
    "\"abc",
    "\"abc\"",
    "\"\"",
    "\"",
    "\"a\\\"b\"",
    "\"a\\\\\" x\"",
    "\"a\\",
    "\"a\\\nb\"",
    "\"a\nb\"",
    "\"a\rb\"",
    "\"tab\there\"",
    "\"\\u00e9 \\n\"",
    "\"é ü 日本語 😀\"",
    "\"😀\\😀\"",
    "'abc'",
    "'abc",
    "'a''b'",
    "'a'''",
    "'a''",
    "''",
    "'''",
    "''''",
    "'it''s' 'x'",
    "'multi\nline'",
    "'日本'",
    "/*",
    "/* a",
    "/**/",
    "/*/",
    "/* a */ */",
    "/* a\n b */x",
    "/ * /",
    "*/",
    "-- comment\nx",
    "-- comment\r\nx",
    "--",
    "---",
    "a--b",
    "a-",
    "a-b",
    "a.b.c-d_e",
    "a..b",
    "a.-b",
    "a.",
    "-1",
    "- 1",
    "--1",
    "$$",
    "$$ body $$",
    "$$ body",
    "$$\n  SELECT 1;\n$$ x",
    "$tag$ $$ inner $$ $tag$ after",
    "$tag$ unclosed $$",
    "$tag$$tag$",
    "$a$ $b$ $a$",
    "$_1$x$_1$",
    "$1$",
    "$",
    "$a",
    "$a b$",
    "$ab$",
    "$é$",
    "$$ é 日本 $$ x",
    "1.0.0",
    "1.0.0-beta+x",
    "1.0.0-beta.1+build.5",
    "1.0.0-",
    "1.0.0+",
    "1.0.0-+x",
    "1.0.0--x",
    "1.0.0-a+",
    "1.0.0+a+b",
    "1.0.0.",
    "1.0.0.1",
    "1.0",
    "1.0.",
    "1.0.x",
    "1.",
    "1.e5",
    ".5",
    "10abc",
    "10",
    "007",
    "1-2",
    "1.5e3",
    "1.5E-3",
    "1.5e+3",
    "1.5e",
    "1.5e+",
    "1.5e3.x",
    "1.5e-3-x",
    "1.5ex",
    "12.34.56-rc.1",
    "acme.crm",
    "crm-001-install",
    "s.table.x",
    "table.x",
    "table",
    "tables",
    "tablex",
    "TABLE",
    "TaBlE",
    "_",
    "_table",
    "table_",
    "nameX",
    "transactional transactionalx",
    "é",
    "naïve",
    "abcé",
    "日本語",
    "😀",
    "a😀b",
    "(),{}:.-",
    "()(){}{}",
    "+*/%!@#^&|~`?<>=;[]",
    "\\",
    "\x01\x02\x7f",
    std::string("a\0b", 3),
    "\xEF\xBB\xBFplugin x",
    "\xEF\xBB\xBF\"é\"",
    "plugin acme.crm\nmigration m1 {\n  version 1.0.0\n  up { create table t (id int) }\n}\n",
};

// Pieces the random inputs are made of: every kind of token, its edges and its breakers.
std::vector<std::string> alphabet() {
  std::vector<std::string> pieces = {"a",
                                     "Z",
                                     "x1",
                                     "_",
                                     "0",
                                     "7",
                                     "12",
                                     ".",
                                     "-",
                                     "+",
                                     "e",
                                     "E",
                                     "\"",
                                     "\\",
                                     "'",
                                     "''",
                                     "$",
                                     "$$",
                                     "$a$",
                                     "$tag$",
                                     "/*",
                                     "*/",
                                     "*",
                                     "/",
                                     "--",
                                     " ",
                                     "  ",
                                     "\t",
                                     "\r",
                                     "\n",
                                     "\r\n",
                                     "\f",
                                     "(",
                                     ")",
                                     "{",
                                     "}",
                                     ",",
                                     ":",
                                     ";",
                                     "é",
                                     "日本",
                                     "😀",
                                     "ü",
                                     "1.0.0",
                                     "1.5",
                                     "e3",
                                     "table",
                                     "TABLE",
                                     "name",
                                     "null",
                                     "True",
                                     "step",
                                     "x.y",
                                     "a-b",
                                     "\\u00e9",
                                     "\\\"",
                                     "#",
                                     "=",
                                     "[",
                                     "]",
                                     std::string(1, '\0'),
                                     "\x7f"};
  for (const auto& k : keywords()) pieces.push_back(k);
  return pieces;
}

}  // namespace

TEST_CASE("the fast lexer's literal token types are the parser's", "[dsl][lexer]") {
  antlr4::ANTLRInputStream input("");
  dsl::generated::MigpkgLexer lexer(&input);
  const auto& vocabulary = lexer.getVocabulary();
  using namespace dsl::literal_token;
  CHECK(vocabulary.getLiteralName(kOpenParen) == "'('");
  CHECK(vocabulary.getLiteralName(kComma) == "','");
  CHECK(vocabulary.getLiteralName(kCloseParen) == "')'");
  CHECK(vocabulary.getLiteralName(kOpenBrace) == "'{'");
  CHECK(vocabulary.getLiteralName(kCloseBrace) == "'}'");
  CHECK(vocabulary.getLiteralName(kColon) == "':'");
  CHECK(vocabulary.getLiteralName(kDot) == "'.'");
  CHECK(vocabulary.getLiteralName(kMinus) == "'-'");
  // and there are no others
  std::size_t literals = 0;
  for (std::size_t t = 1; t <= vocabulary.getMaxTokenType(); ++t)
    if (!vocabulary.getLiteralName(t).empty()) ++literals;
  CHECK(literals == 8);
}

TEST_CASE("the fast lexer gives the generated lexer's tokens for every .mig file", "[dsl][lexer]") {
  auto files = mig_files();
  CHECK(files.size() >= 20);
  for (const auto& file : files) check_same_tokens(read_file(file), file);
}

TEST_CASE("the fast lexer gives the generated lexer's tokens for the cases' files and DSL",
          "[dsl][lexer]") {
  // Every file of tests/cases (JSON and SQL are text full of quotes, dollars and comments), and
  // the canonical DSL of every JSON migration there and in the examples.
  std::size_t printed = 0;
  for (const auto& file : files_under(source_dir() + "/tests/cases", "")) {
    std::string text = read_file(file);
    check_same_tokens(text, file);
  }
  for (const auto& dir : valid_source_dirs()) {
    for (const auto& file : files_under(source_dir() + "/" + dir, ".json")) {
      Diagnostics diagnostics;
      auto document = read_json_file(file, diagnostics);
      if (!document) continue;
      auto migration = load_portable_migration(*document, file, diagnostics);
      if (!migration || diagnostics.has_errors()) continue;
      check_same_tokens(dsl::print_dsl({*migration}), "printed from " + file);
      ++printed;
    }
  }
  CHECK(printed >= 20);
}

TEST_CASE("the fast lexer gives the generated lexer's tokens for tricky input", "[dsl][lexer]") {
  for (const auto& text : kTricky) check_same_tokens(text, "tricky");
  // Every keyword in several cases, alone and as the start of a longer name or number.
  for (const auto& k : keywords()) {
    std::string upper = k, mixed = k;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (std::size_t i = 0; i < mixed.size(); i += 2)
      mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[i])));
    for (const auto& spelling : {k, upper, mixed})
      for (const char* after : {"", " ", "x", "_", "1", ".x", "-x", "-", ".", "(", "é", "--"})
        check_same_tokens(spelling + after + " " + spelling, "keyword");
  }
}

TEST_CASE("the fast lexer gives the generated lexer's tokens for random input", "[dsl][lexer]") {
  const auto pieces = alphabet();
  std::mt19937 random(20240501);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1), length(1, 40);
  for (int n = 0; n < 4000; ++n) {
    std::string text;
    for (std::size_t i = length(random); i > 0; --i) text += pieces[piece(random)];
    check_same_tokens(text, "random #" + std::to_string(n));
  }
}

TEST_CASE("the parser's source slices are the input stream's", "[dsl][lexer]") {
  // For a file with non-ASCII text, SyntaxTree::text_between maps code point indices to bytes
  // itself: compare it with ANTLRInputStream::getText over every token and rule.
  std::vector<std::pair<std::string, std::string>> sources;
  for (const auto& file : mig_files()) sources.emplace_back(file, read_file(file));
  sources.emplace_back(
      "non-ASCII",
      "\xEF\xBB\xBF-- é\nplugin \"acme.crm-é\"\n/* 日本 */ migration \"m-😀\" {\n"
      "  version 1.0.0 name \"naïve 😀\"\n  description \"日本語\"\n"
      "  up {\n    create table \"tä\" (\n      id int primary key,\n"
      "      \"ü\" string(20) default \"é\" check (\"ü\" <> 'é''😀'),\n"
      "      x int default (1 + /* é */ 2)\n    )\n    step s \"ß\" { sql $é$ SELECT 'é' $é$ }\n"
      "  }\n}\n");
  for (const auto& [label, text] : sources) {
    Diagnostics diagnostics;
    auto tree = dsl::parse_syntax(text, label, diagnostics);
    if (!tree) continue;  // files of the error tests
    antlr4::ANTLRInputStream input(text);
    std::size_t checked = 0;
    std::vector<antlr4::tree::ParseTree*> stack{tree->root()};
    while (!stack.empty()) {
      antlr4::tree::ParseTree* node = stack.back();
      stack.pop_back();
      const antlr4::Token *from, *to;
      if (auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(node)) {
        from = rule->getStart();
        to = rule->getStop();
        for (auto* child : rule->children) stack.push_back(child);
      } else {
        from = to = static_cast<antlr4::tree::TerminalNode*>(node)->getSymbol();
      }
      if (!to || from->getType() == antlr4::Token::EOF) continue;
      std::string expected =
          to->getStopIndex() + 1 < from->getStartIndex()
              ? ""
              : input.getText(antlr4::misc::Interval(from->getStartIndex(), to->getStopIndex()));
      INFO(label << ": " << describe(*from) << " .. " << describe(*to));
      CHECK(tree->text_between(from, to) == expected);
      ++checked;
    }
    CHECK(checked > 0);
  }
}
