// Properties of grammar/Migpkg.g4 that its own syntax cannot state, checked on the generated
// parser's state machine (ATN).
// The generated headers first: MigpkgParser.h declares a method CHECK(), which Catch2 defines
// as a macro.
#include "MigpkgLexer.h"
#include "compiler/dsl/syntax.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

namespace {

using Parser = migpkg::dsl::Parser;

// The token types that can begin rule `rule`.
std::vector<std::size_t> first_tokens(const antlr4::atn::ATN& atn, std::size_t rule) {
  std::vector<std::size_t> out;
  for (auto type : atn.nextTokens(atn.ruleToStartState[rule]).toList())
    out.push_back(static_cast<std::size_t>(type));
  return out;
}

}  // namespace

TEST_CASE("an identifier is a word or a string", "[dsl]") {
  // `ident` lists the word tokens itself instead of referring to `word` (one parse-tree node
  // less per identifier); the two lists must not drift apart.
  antlr4::ANTLRInputStream input("");
  migpkg::dsl::generated::MigpkgLexer lexer(&input);
  antlr4::CommonTokenStream tokens(&lexer);
  Parser parser(&tokens);
  const antlr4::atn::ATN& atn = parser.getATN();
  std::vector<std::size_t> words = first_tokens(atn, Parser::RuleWord);
  std::vector<std::size_t> idents = first_tokens(atn, Parser::RuleIdent);
  REQUIRE(words.size() > 50);  // NAME and every keyword
  CHECK(std::find(words.begin(), words.end(), Parser::STRING) == words.end());
  words.push_back(Parser::STRING);
  std::sort(words.begin(), words.end());
  std::sort(idents.begin(), idents.end());
  CHECK(idents == words);
}
