#pragma once
// A hand-written lexer for grammar/Migpkg.g4: the same tokens as the generated MigpkgLexer
// (types, channels, start/stop code point indices, line, column, text, the EOF token) at a
// fraction of its cost, since it reads the UTF-8 bytes directly instead of simulating the lexer
// ATN over a UTF-32 copy of the text. The generated parser reads its tokens through
// FastTokenStream, a CommonTokenStream. tests/unit/test_fast_lexer.cpp compares both lexers token
// by token; a change to the grammar's lexer rules or literals must be made here too. Internal to
// compiler/dsl/.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

// Memory for tokens, freed all at once.
class TokenArena {
 public:
  void* allocate(std::size_t size);

 private:
  static constexpr std::size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<unsigned char[]>> blocks_;
  std::size_t used_ = kBlock;
};

// A token of the fast lexer: what CommonToken holds, with its text a view of the source (no
// copy) and its memory taken from the lexer's arena, so that making and freeing the tokens of
// a file costs no malloc and free per token. Tokens must not outlive their lexer; ANTLR never
// changes a parser's tokens' text (setText throws).
class FastToken final : public antlr4::WritableToken {
 public:
  FastToken(antlr4::TokenSource* source, std::size_t type, std::size_t channel, std::size_t start,
            std::size_t stop, std::size_t line, std::size_t column, std::string_view text)
      : source_(source),
        text_(text.data()),
        start_(start),
        stop_(stop),
        type_(type),
        length_(static_cast<std::uint32_t>(text.size())),
        channel_(static_cast<std::uint32_t>(channel)),
        line_(static_cast<std::uint32_t>(line)),
        column_(static_cast<std::uint32_t>(column)) {}

  std::string getText() const override { return std::string(text_, length_); }
  std::string_view text() const { return {text_, length_}; }
  size_t getType() const override { return type_; }
  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() const override { return column_; }
  size_t getChannel() const override { return channel_; }
  size_t getTokenIndex() const override { return index_; }
  size_t getStartIndex() const override { return start_; }
  size_t getStopIndex() const override { return stop_; }
  antlr4::TokenSource* getTokenSource() const override { return source_; }
  antlr4::CharStream* getInputStream() const override { return nullptr; }
  std::string toString() const override;

  void setText(const std::string&) override;
  void setType(size_t type) override { type_ = type; }
  void setLine(size_t line) override { line_ = static_cast<std::uint32_t>(line); }
  void setCharPositionInLine(size_t column) override {
    column_ = static_cast<std::uint32_t>(column);
  }
  void setChannel(size_t channel) override { channel_ = static_cast<std::uint32_t>(channel); }
  void setTokenIndex(size_t index) override { index_ = index; }

  // Made only by FastLexer, in its arena; `delete` runs the (trivial) destructor and leaves the
  // memory to the arena.
  static void* operator new(std::size_t size, TokenArena& arena);
  static void operator delete(void*, TokenArena&) {}
  static void operator delete(void*) {}

 private:
  antlr4::TokenSource* source_;
  const char* text_;
  std::size_t start_, stop_, type_;    // type_ may be EOF, (size_t)-1
  std::size_t index_ = INVALID_INDEX;  // as CommonToken's, until a stream sets it
  std::uint32_t length_, channel_, line_, column_;
};

class FastLexer final : public antlr4::TokenSource {
 public:
  // `text` must be valid UTF-8 (parse_syntax checks it) and outlive the lexer and its tokens. A
  // leading UTF-8 byte order mark is skipped, as ANTLRInputStream drops it: indices count from
  // after it.
  explicit FastLexer(std::string_view text);
  FastLexer(const FastLexer&) = delete;
  FastLexer& operator=(const FastLexer&) = delete;

  // The next token; after the end, EOF tokens.
  std::unique_ptr<FastToken> next();

  std::unique_ptr<antlr4::Token> nextToken() override { return next(); }
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
  TokenArena arena_;
};

// CommonTokenStream over a FastLexer, fetching tokens without BufferedTokenStream::fetch's
// virtual call and dynamic_cast per token; otherwise the same stream.
class FastTokenStream final : public antlr4::CommonTokenStream {
 public:
  explicit FastTokenStream(FastLexer& lexer) : CommonTokenStream(&lexer), lexer_(lexer) {}

 protected:
  size_t fetch(size_t n) override;

 private:
  FastLexer& lexer_;
};

}  // namespace migpkg::dsl
