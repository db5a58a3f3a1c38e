#pragma once
// Running the hand-written lexer (fast_lexer.hpp) and the generated ANTLR parser over one .mig
// file, with every syntax error turned into a Diagnostic (ANTLR's console listeners are removed)
// and hostile input -- too large, not UTF-8, nested too deeply, an unterminated dollar quote --
// refused before the recursive parser runs. Internal to compiler/dsl/: the rest of migpkg uses
// dsl_loader.hpp.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "MigpkgParser.h"
#include "antlr4-runtime.h"
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/dsl/fast_lexer.hpp"

namespace migpkg::dsl {

using Parser = generated::MigpkgParser;

struct DslLimits {
  std::size_t max_bytes = 16u << 20;  // as for JSON sources
  int max_depth = 64;                 // parentheses and braces; real files need about 6
};

// A parsed file. Owns the ANTLR objects that the tree points into.
class SyntaxTree {
 public:
  SyntaxTree(std::string text, FileName file);
  ~SyntaxTree();
  SyntaxTree(const SyntaxTree&) = delete;
  SyntaxTree& operator=(const SyntaxTree&) = delete;

  const FileName& file() const { return file_; }
  Parser::FileContext* root() const { return root_; }

  // file:line:col of a token or a rule's first token; columns count bytes, as in JSON sources.
  SourceLocation at(const antlr4::Token* token) const;
  SourceLocation at(const antlr4::ParserRuleContext* context) const;
  // The exact source text from the first token of `from` to the last of `to`.
  std::string text_between(const antlr4::Token* from, const antlr4::Token* to) const;

 private:
  friend std::unique_ptr<SyntaxTree> parse_syntax(std::string, const std::string&, Diagnostics&,
                                                  const DslLimits&);
  std::string text_;
  FileName file_;                         // interned once; every location of the file shares it
  std::vector<std::size_t> line_starts_;  // byte offset of each line
  bool ascii_ = true;
  // Non-ASCII text only: the byte offset of each code point (token indices count code points),
  // and one past the last.
  std::vector<std::uint32_t> point_bytes_;
  std::unique_ptr<FastLexer> lexer_;
  std::unique_ptr<antlr4::CommonTokenStream> tokens_;
  std::unique_ptr<Parser> parser_;
  Parser::FileContext* root_ = nullptr;
};

// Parses `text` (named `file` in diagnostics). Returns nullptr when any error was reported.
std::unique_ptr<SyntaxTree> parse_syntax(std::string text, const std::string& file,
                                         Diagnostics& diagnostics, const DslLimits& limits = {});

}  // namespace migpkg::dsl
