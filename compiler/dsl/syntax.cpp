#include "compiler/dsl/syntax.hpp"

#include <algorithm>
#include <cctype>

#include "compiler/dsl/dsl_text.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/util/utf8.hpp"

namespace migpkg::dsl {
namespace {

constexpr std::size_t kMaxSyntaxErrors = 100;

// How a token type reads in "expected ..." lists.
std::string describe_expected(const antlr4::dfa::Vocabulary& vocabulary, size_t type) {
  if (type == antlr4::Token::EOF) return "end of file";
  switch (type) {
    case Parser::NAME:
      return "a name";
    case Parser::STRING:
      return "a \"string\"";
    case Parser::INT:
      return "a whole number";
    case Parser::DECIMAL:
      return "a number";
    case Parser::VERSION_NUMBER:
      return "a version like 1.0.0";
    case Parser::DOLLAR_TEXT:
      return "a $$ ... $$ block";
    case Parser::SQL_STRING:
      return "a 'SQL string'";
    default:
      break;
  }
  std::string literal = vocabulary.getLiteralName(type);
  if (literal.size() >= 2) return "`" + literal.substr(1, literal.size() - 2) + "`";
  return "`" + std::string(vocabulary.getSymbolicName(type)) + "`";
}

// Keywords are named after their spelling (NAME_KW is `name`, SKIP_KW is `skip`).
std::string keyword_spelling(const antlr4::dfa::Vocabulary& vocabulary, size_t type) {
  std::string name = vocabulary.getSymbolicName(type);
  if (name.size() > 3 && name.compare(name.size() - 3, 3, "_KW") == 0) name.resize(name.size() - 3);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

bool is_keyword(size_t type) {
  return type >= Parser::PLUGIN && type <= Parser::NULL_KW;
}

std::string describe_offending(const antlr4::Token* token) {
  if (!token || token->getType() == antlr4::Token::EOF) return "end of file";
  std::string text = token->getText();
  if (token->getType() == Parser::DOLLAR_TEXT) return "a $$ ... $$ block";
  std::size_t cut = std::min(text.find('\n'), std::size_t{40});
  if (cut < text.size()) text = text.substr(0, cut) + "...";
  return "`" + text + "`";
}

class CollectingListener : public antlr4::BaseErrorListener {
 public:
  CollectingListener(const SyntaxTree& tree, Diagnostics& diagnostics)
      : tree_(tree), diagnostics_(diagnostics) {}
  std::size_t count() const { return count_; }

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& message, std::exception_ptr error) override {
    if (count_++ >= kMaxSyntaxErrors) return;
    SourceLocation where = offending ? tree_.at(offending)
                                     : SourceLocation{tree_.file(), "", static_cast<int>(line),
                                                      static_cast<int>(column) + 1};
    if (where.line == last_line_ && where.column == last_column_) return;  // one per place
    last_line_ = where.line;
    last_column_ = where.column;
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    if (!parser || !offending) {
      diagnostics_.error("dsl-syntax", where, message);
      return;
    }
    if (offending->getText() == "\"") {
      diagnostics_.error("dsl-syntax", where,
                         "unterminated string: a \"string\" ends on the line where it starts");
      return;
    }
    const auto& vocabulary = parser->getVocabulary();
    // When no alternative fits a few tokens into a statement (`create tabel t`), the parser's
    // expected set is the one of the statement's start, which would mislead: say only what is
    // unexpected, and look for the keyword meant among all of them.
    bool inside_statement = false;
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const antlr4::NoViableAltException& e) {
        inside_statement = e.getStartToken() != offending;
      } catch (...) {
      }
    }
    antlr4::misc::IntervalSet expected = parser->getExpectedTokens();
    if (inside_statement) {
      expected = antlr4::misc::IntervalSet();
      for (size_t type = Parser::PLUGIN; type <= Parser::NULL_KW; ++type) expected.add(type);
    }
    bool name_expected = expected.contains(static_cast<size_t>(Parser::NAME));
    std::vector<std::string> items, keywords;
    for (size_t type : expected.toList()) {
      if (is_keyword(type)) {
        keywords.push_back(keyword_spelling(vocabulary, type));
        if (name_expected) continue;
        items.push_back("`" + keywords.back() + "`");
      } else {
        items.push_back(describe_expected(vocabulary, type));
      }
    }
    std::string text = "unexpected " + describe_offending(offending);
    if (inside_statement) {
      // no list: see above
    } else if (items.size() == 1) {
      text += "; expected " + items[0];
    } else if (!items.empty()) {
      std::size_t shown = std::min<std::size_t>(items.size(), 12);
      text += "; expected one of ";
      for (std::size_t i = 0; i < shown; ++i) text += (i ? ", " : "") + items[i];
      if (shown < items.size()) text += ", ...";
    }
    std::string hint;
    if (!name_expected &&
        (offending->getType() == Parser::NAME || is_keyword(offending->getType()))) {
      std::string word = offending->getText();
      std::transform(word.begin(), word.end(), word.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string suggestion = closest_match(word, keywords);
      if (!suggestion.empty() && suggestion != word) hint = "did you mean `" + suggestion + "`?";
    }
    diagnostics_.error("dsl-syntax", where, text, hint);
  }

 private:
  const SyntaxTree& tree_;
  Diagnostics& diagnostics_;
  std::size_t count_ = 0;
  int last_line_ = 0, last_column_ = 0;
};

// ANTLR's recovery, after first skipping the rest of the line the parser was on. Statements
// rarely span a line where an error is, and the DSL's keywords are not reserved, so without
// this a stray word is often taken for the start of a migration item (`name`, `type`) and
// every following token reported again.
class LineRecovery : public antlr4::DefaultErrorStrategy {
 public:
  void recover(antlr4::Parser* recognizer, std::exception_ptr e) override {
    auto* tokens = recognizer->getTokenStream();
    if (antlr4::Token* previous = tokens->LT(-1)) {
      std::size_t line = previous->getLine();
      while (tokens->LA(1) != antlr4::Token::EOF && tokens->LT(1)->getLine() == line)
        recognizer->consume();
    }
    antlr4::DefaultErrorStrategy::recover(recognizer, e);
  }
};

// Refuses what the recursive parser must never see: nesting beyond the limit, and a dollar
// quote that never closes (it swallowed the rest of the file, so every later error would be
// noise). The lexer is not recursive, so tokenizing hostile input is safe.
bool check_tokens(const SyntaxTree& tree, antlr4::CommonTokenStream& tokens,
                  Diagnostics& diagnostics, const DslLimits& limits) {
  using namespace literal_token;
  int depth = 0;
  for (antlr4::Token* token : tokens.getTokens()) {
    if (token->getType() == Parser::DOLLAR_TEXT) {
      std::string body, text = token->getText();
      if (!dollar_body(text, body)) {
        diagnostics.error("dsl-syntax", tree.at(token),
                          "unterminated dollar-quoted block: no closing " +
                              text.substr(0, text.find('$', 1) + 1));
        return false;
      }
      continue;
    }
    std::size_t type = token->getType();
    if (type == kOpenParen || type == kOpenBrace) {
      if (++depth > limits.max_depth) {
        diagnostics.error("too-deep", tree.at(token),
                          "nesting deeper than " + std::to_string(limits.max_depth) + " levels");
        return false;
      }
    } else if (type == kCloseParen || type == kCloseBrace) {
      depth = std::max(0, depth - 1);
    }
  }
  return true;
}

}  // namespace

SyntaxTree::SyntaxTree(std::string text, FileName file) : text_(std::move(text)), file_(file) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
    if (static_cast<unsigned char>(text_[i]) >= 0x80) ascii_ = false;
  }
}

SyntaxTree::~SyntaxTree() = default;

SourceLocation SyntaxTree::at(const antlr4::Token* token) const {
  int line = static_cast<int>(token->getLine());
  int column = static_cast<int>(token->getCharPositionInLine()) + 1;
  if (!ascii_ && line >= 1 && static_cast<std::size_t>(line) <= line_starts_.size()) {
    // ANTLR counts code points; diagnostics count bytes.
    std::size_t at = line_starts_[static_cast<std::size_t>(line) - 1];
    int points = 0;
    std::size_t start = at;
    while (at < text_.size() && points < column - 1) {
      ++at;
      while (at < text_.size() && (static_cast<unsigned char>(text_[at]) & 0xC0) == 0x80) ++at;
      ++points;
    }
    column = static_cast<int>(at - start) + 1;
  }
  return SourceLocation{file_, "", line, column};
}

SourceLocation SyntaxTree::at(const antlr4::ParserRuleContext* context) const {
  return at(const_cast<antlr4::ParserRuleContext*>(context)->getStart());
}

std::string SyntaxTree::text_between(const antlr4::Token* from, const antlr4::Token* to) const {
  if (to->getStopIndex() + 1 < from->getStartIndex()) return {};
  if (ascii_)
    return text_.substr(from->getStartIndex(), to->getStopIndex() - from->getStartIndex() + 1);
  // Code points to bytes, clamped as ANTLRInputStream::getText clamps.
  std::size_t points = point_bytes_.size() - 1;
  std::size_t start = from->getStartIndex(), stop = std::min(to->getStopIndex(), points - 1);
  if (start >= points) return {};
  return text_.substr(point_bytes_[start], point_bytes_[stop + 1] - point_bytes_[start]);
}

std::unique_ptr<SyntaxTree> parse_syntax(std::string text, const std::string& file,
                                         Diagnostics& diagnostics, const DslLimits& limits) {
  const FileName name = file;  // interned once for every location in the file
  SourceLocation where{name, "", 0, 0};
  if (text.size() > limits.max_bytes) {
    diagnostics.error("file-too-large", where,
                      "file is " + std::to_string(text.size()) + " bytes; the limit is " +
                          std::to_string(limits.max_bytes) + " bytes");
    return nullptr;
  }
  std::size_t bad = first_invalid_utf8(text);
  if (bad != std::string::npos) {
    auto [line, column] = line_column_at(text, bad);
    diagnostics.error("invalid-utf8", SourceLocation{name, "", line, column},
                      "invalid UTF-8: this byte cannot start or continue a character here");
    return nullptr;
  }
  auto tree = std::make_unique<SyntaxTree>(std::move(text), name);
  // The lexer reports no errors: OTHER takes any character the other rules do not.
  tree->lexer_ = std::make_unique<FastLexer>(tree->text_);
  if (!tree->ascii_) {
    auto& bytes = tree->point_bytes_;
    const std::string& t = tree->text_;
    for (std::size_t i = tree->lexer_->first_byte(); i < t.size(); ++i)
      if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80)
        bytes.push_back(static_cast<std::uint32_t>(i));
    bytes.push_back(static_cast<std::uint32_t>(t.size()));
  }
  CollectingListener listener(*tree, diagnostics);
  tree->tokens_ = std::make_unique<FastTokenStream>(*tree->lexer_);
  tree->tokens_->fill();
  if (!check_tokens(*tree, *tree->tokens_, diagnostics, limits)) return nullptr;

  tree->parser_ = std::make_unique<Parser>(tree->tokens_.get());
  Parser& parser = *tree->parser_;
  parser.removeErrorListeners();
  // Two-stage parsing: the fast SLL mode succeeds on almost every valid file; only when it
  // fails is the file parsed again in full LL mode, which also reports the errors.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    tree->root_ = parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    tree->tokens_->seek(0);
    parser.reset();
    parser.addErrorListener(&listener);
    parser.setErrorHandler(std::make_shared<LineRecovery>());
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    tree->root_ = parser.file();
  }
  parser.removeErrorListeners();
  if (listener.count() > kMaxSyntaxErrors)
    diagnostics.error("dsl-syntax", where,
                      "too many syntax errors (" + std::to_string(listener.count()) +
                          "); only the first " + std::to_string(kMaxSyntaxErrors) + " are shown");
  if (listener.count() > 0) return nullptr;
  return tree;
}

}  // namespace migpkg::dsl
