#pragma once
// A hand-written lexer for grammar/Migpkg.g4: the same tokens as the generated MigpkgLexer
// (types, channels, start/stop code point indices, line, column, text, the EOF token) at a
// fraction of its cost, since it reads the UTF-8 bytes directly instead of simulating the lexer
// ATN over a UTF-32 copy of the text. The generated parser reads its tokens through a
// CommonTokenStream as before. tests/unit/test_fast_lexer.cpp compares both lexers token by
// token; a change to the grammar's lexer rules or literals must be made here too.
// Internal to compiler/dsl/.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "MigpkgParser.h"
#include "antlr4-runtime.h"

namespace migpkg::dsl {

// The parser's implicit literal tokens (Migpkg.tokens: '('=1, ','=2, ...), by spelling.
namespace literal_token {
using P = generated::MigpkgParser;
constexpr std::size_t kOpenParen = P::T__0;   // (
constexpr std::size_t kComma = P::T__1;       // ,
constexpr std::size_t kCloseParen = P::T__2;  // )
constexpr std::size_t kOpenBrace = P::T__3;   // {
constexpr std::size_t kCloseBrace = P::T__4;  // }
constexpr std::size_t kColon = P::T__5;       // :
constexpr std::size_t kDot = P::T__6;         // .
constexpr std::size_t kMinus = P::T__7;       // -
}  // namespace literal_token

class FastLexer : public antlr4::TokenSource {
 public:
  // `text` must be valid UTF-8 (parse_syntax checks it) and outlive the lexer. A leading UTF-8
  // byte order mark is skipped, as ANTLRInputStream drops it: indices count from after it.
  explicit FastLexer(std::string_view text);

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() override { return column_; }
  // There is no CharStream: every token carries its text.
  antlr4::CharStream* getInputStream() override { return nullptr; }
  std::string getSourceName() override { return antlr4::IntStream::UNKNOWN_SOURCE_NAME; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

  // Byte offset in `text` of the first character, after a byte order mark (0 or 3).
  std::size_t first_byte() const { return begin_; }

 private:
  // The end (byte offset) and type of the token starting at pos_.
  std::size_t scan(std::size_t& type, std::size_t& channel) const;
  std::size_t scan_digits(std::size_t at) const;
  std::size_t scan_name(std::size_t at) const;
  std::size_t scan_number(std::size_t& type) const;

  std::string_view text_;
  std::size_t begin_ = 0;
  std::size_t pos_ = 0;    // byte offset of the next token
  std::size_t point_ = 0;  // its code point index (ANTLR's start index)
  std::size_t line_ = 1, column_ = 0;
  std::pair<antlr4::TokenSource*, antlr4::CharStream*> source_;
};

}  // namespace migpkg::dsl
