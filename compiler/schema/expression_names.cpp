#include "compiler/schema/expression_names.hpp"

#include <algorithm>
#include <array>

#include "compiler/diagnostics/diagnostic.hpp"

namespace migpkg::schema {
namespace {

using Kind = ExpressionToken::Kind;

bool is_word_start(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_word_char(char c) {
  return is_word_start(c) || is_digit(c) || c == '$';
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Words that are SQL syntax wherever they stand in an expression: never a column, even when the
// table has a column of that name (such a column must be double-quoted, as in SQL itself).
// clang-format off
constexpr std::array<std::string_view, 39> kKeywords = {
    "and", "or", "not", "null", "is", "in", "like", "ilike", "glob", "regexp", "rlike",
    "similar", "escape", "between", "case", "when", "then", "else", "end", "true", "false",
    "unknown", "as", "cast", "collate", "distinct", "from", "exists", "select", "where", "all",
    "any", "some", "array", "interval", "current_date", "current_time", "current_timestamp",
    "current_user"};
// clang-format on

bool is_keyword(std::string_view word) {
  return std::any_of(kKeywords.begin(), kKeywords.end(),
                     [&](std::string_view k) { return iequals(word, k); });
}

bool significant(const ExpressionToken& t) {
  return t.kind != Kind::Space && t.kind != Kind::Comment;
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  LexedExpression run() {
    while (i_ < s_.size() && !out_.problem) next();
    if (!out_.problem) classify();
    return std::move(out_);
  }

 private:
  void push(Kind kind, std::size_t begin, std::string name = {}) {
    out_.tokens.push_back({kind, begin, i_, std::move(name), false});
  }
  void fail(std::size_t at, std::string message, std::string hint = {}) {
    out_.problem = ExpressionProblem{at, std::move(message), std::move(hint)};
  }
  char at(std::size_t k) const { return k < s_.size() ? s_[k] : '\0'; }
  const ExpressionToken* last_significant() const {
    for (auto it = out_.tokens.rbegin(); it != out_.tokens.rend(); ++it)
      if (significant(*it)) return &*it;
    return nullptr;
  }

  // From the opening quote `q` at i_: to just past the closing one (a doubled quote is one quote
  // character inside). Returns false when the text ends first.
  bool quoted(char q, std::string* content) {
    for (++i_; i_ < s_.size(); ++i_) {
      if (s_[i_] != q) {
        if (content) *content += s_[i_];
        continue;
      }
      if (at(i_ + 1) == q) {
        if (content) *content += q;
        ++i_;
        continue;
      }
      ++i_;
      return true;
    }
    return false;
  }

  void string_literal(std::size_t begin) {
    if (!quoted('\'', nullptr))
      return fail(begin, "unterminated string (a ' without its closing ')");
    push(Kind::String, begin);
  }

  void next() {
    std::size_t begin = i_;
    char c = s_[i_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      while (i_ < s_.size() &&
             std::string_view(" \t\n\r\f\v").find(s_[i_]) != std::string_view::npos)
        ++i_;
      return push(Kind::Space, begin);
    }
    if (c == '-' && at(i_ + 1) == '-') {
      while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      return push(Kind::Comment, begin);
    }
    if (c == '/' && at(i_ + 1) == '*') {
      std::size_t close = s_.find("*/", i_ + 2);
      if (close == std::string_view::npos)
        return fail(begin, "unterminated comment (/* without */)");
      i_ = close + 2;
      return push(Kind::Comment, begin);
    }
    if (c == '\'') return string_literal(begin);
    if (c == '"') {
      std::string name;
      if (!quoted('"', &name))
        return fail(begin, "unterminated quoted name (a \" without its closing \")",
                    "write strings in single quotes: 'text'");
      if (name.empty()) return fail(begin, "empty quoted name \"\"");
      return push(Kind::QuotedName, begin, std::move(name));
    }
    if (c == '`')
      return fail(begin, "`name` is MySQL's quoting, which the other dialects do not read",
                  "write identifiers as \"name\"; migpkg quotes them for each dialect");
    if (c == '[') {
      // After an operand it is a subscript (PostgreSQL's a[1], ARRAY[...]); elsewhere it can only
      // be SQL Server's quoting.
      const ExpressionToken* before = last_significant();
      bool subscript =
          before &&
          (before->kind == Kind::Word || before->kind == Kind::QuotedName ||
           (before->kind == Kind::Other && (s_[before->begin] == ')' || s_[before->begin] == ']')));
      if (!subscript)
        return fail(begin, "[name] is SQL Server's quoting, which the other dialects do not read",
                    "write identifiers as \"name\"; migpkg quotes them for each dialect");
    }
    if (c == '$' && (at(i_ + 1) == '$' || is_word_start(at(i_ + 1)))) {
      std::size_t k = i_ + 1;
      while (k < s_.size() && (is_word_start(s_[k]) || is_digit(s_[k]))) ++k;
      if (at(k) == '$')
        return fail(begin,
                    "$$-quoted strings are PostgreSQL's, which the other dialects do not read",
                    "write strings as 'text' ('' for a quote inside)");
    }
    if (is_digit(c) || (c == '.' && is_digit(at(i_ + 1)))) {
      ++i_;
      while (i_ < s_.size()) {
        char d = s_[i_];
        bool exponent_sign = (d == '+' || d == '-') && (s_[i_ - 1] == 'e' || s_[i_ - 1] == 'E') &&
                             is_digit(at(i_ + 1)) && !iequals(s_.substr(begin, 2), "0x");
        if (!(is_word_char(d) || d == '.' || exponent_sign)) break;
        ++i_;
      }
      return push(Kind::Number, begin);
    }
    if (is_word_start(c)) {
      while (i_ < s_.size() && is_word_char(s_[i_])) ++i_;
      // N'...', X'...', E'...': the word is the prefix of a string.
      if (at(i_) == '\'') return string_literal(begin);
      return push(Kind::Word, begin, std::string(s_.substr(begin, i_ - begin)));
    }
    ++i_;
    push(Kind::Other, begin);
  }

  // Marks the names that are not column references by what surrounds them.
  void classify() {
    std::vector<ExpressionToken*> sig;
    for (auto& t : out_.tokens)
      if (significant(t)) sig.push_back(&t);
    auto other = [&](std::size_t k, char c) {
      return k < sig.size() && sig[k]->kind == Kind::Other && s_[sig[k]->begin] == c;
    };
    for (std::size_t k = 0; k < sig.size(); ++k) {
      ExpressionToken& t = *sig[k];
      if (t.kind != Kind::Word && t.kind != Kind::QuotedName) continue;
      bool function = other(k + 1, '(');
      bool qualifier = other(k + 1, '.');
      bool after_word = k > 0 && sig[k - 1]->kind == Kind::Word;
      // A type (CAST(x AS t)) or a collation (COLLATE "C") is named there, not a column.
      bool after_as =
          after_word && (iequals(sig[k - 1]->name, "as") || iequals(sig[k - 1]->name, "collate"));
      bool after_cast = k > 1 && other(k - 1, ':') && other(k - 2, ':');
      bool typed_literal = k + 1 < sig.size() && sig[k + 1]->kind == Kind::String;
      t.never_column = function || qualifier || after_as || after_cast || typed_literal ||
                       (t.kind == Kind::Word && is_keyword(t.name));
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  LexedExpression out_;
};

bool after_collate(const std::vector<ExpressionToken>& tokens, std::size_t k) {
  while (k-- > 0)
    if (significant(tokens[k]))
      return tokens[k].kind == Kind::Word && iequals(tokens[k].name, "collate");
  return false;
}

std::string double_quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The text of a string token without its quotes ('' unescaped), or nullopt for a prefixed one.
std::optional<std::string> plain_string_content(std::string_view token) {
  if (token.size() < 2 || token.front() != '\'') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < token.size(); ++i) {
    out += token[i];
    if (token[i] == '\'') ++i;  // the second quote of ''
  }
  return out;
}

}  // namespace

LexedExpression lex_expression(std::string_view text) {
  return Lexer(text).run();
}

ColumnMatch match_column(const ExpressionToken& token, const std::vector<ir::Column>& columns) {
  ColumnMatch out;
  if (token.kind != Kind::Word && token.kind != Kind::QuotedName) return out;
  for (const auto& c : columns)
    if (c.name == token.name) {
      out.column = &c;
      return out;
    }
  if (token.kind == Kind::QuotedName) return out;
  std::vector<std::string> alike;
  for (const auto& c : columns)
    if (iequals(c.name, token.name)) {
      out.column = &c;
      alike.push_back(c.name);
    }
  if (alike.size() > 1) {
    out.column = nullptr;
    std::string names;
    for (const auto& n : alike) names += (names.empty() ? "" : " and ") + double_quoted(n);
    out.problem = ExpressionProblem{
        token.begin,
        "`" + token.name + "` matches columns " + names + ", which differ only in case",
        "double-quote the one meant: " + double_quoted(alike.front())};
  }
  return out;
}

namespace {

std::optional<ExpressionProblem> problem_of(const LexedExpression& lexed,
                                            const std::vector<ir::Column>* columns) {
  if (lexed.problem) return lexed.problem;
  if (!columns) return std::nullopt;
  for (const auto& t : lexed.tokens) {
    if (t.never_column) continue;
    ColumnMatch match = match_column(t, *columns);
    if (match.problem) return match.problem;
    if (t.kind == Kind::QuotedName && !match.column) {
      std::vector<std::string> names;
      for (const auto& c : *columns) names.push_back(c.name);
      std::string suggestion = closest_match(t.name, names);
      return ExpressionProblem{
          t.begin, double_quoted(t.name) + " names no column of the table",
          suggestion.empty()
              ? "a double-quoted word is a name; write a string in single quotes: 'text'"
              : "did you mean " + double_quoted(suggestion) + "?"};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ExpressionProblem> expression_problem(std::string_view text,
                                                    const std::vector<ir::Column>* columns) {
  return problem_of(lex_expression(text), columns);
}

std::string expression_position(std::string_view text, std::size_t offset) {
  std::size_t characters = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++characters;
  return "at character " + std::to_string(characters) + " of the expression";
}

QuotedExpression quote_expression_columns(
    std::string_view text, const std::vector<ir::Column>* columns,
    const std::function<void(std::string&, const std::string&)>& append_identifier,
    const std::function<std::string(const std::string&)>& string_literal) {
  QuotedExpression out;
  LexedExpression lexed = lex_expression(text);
  if ((out.problem = problem_of(lexed, columns))) return out;
  out.text.reserve(text.size() + 16);
  for (std::size_t k = 0; k < lexed.tokens.size(); ++k) {
    const ExpressionToken& t = lexed.tokens[k];
    std::string_view written = text.substr(t.begin, t.end - t.begin);
    if (t.kind == Kind::String && written.find('\\') != std::string_view::npos) {
      if (auto content = plain_string_content(written)) {
        out.text += string_literal(*content);
        continue;
      }
    }
    const ir::Column* column = nullptr;
    if (columns && !t.never_column) column = match_column(t, *columns).column;
    if (column)
      append_identifier(out.text, column->name);
    else if (t.kind == Kind::QuotedName && !after_collate(lexed.tokens, k))
      append_identifier(out.text, t.name);  // a qualifier, a function, or an unknown table's
    else
      out.text += written;
  }
  return out;
}

bool expression_names_column(std::string_view text, const std::vector<ir::Column>& columns,
                             const std::string& column) {
  LexedExpression lexed = lex_expression(text);
  for (const auto& t : lexed.tokens) {
    const ir::Column* match = t.never_column ? nullptr : match_column(t, columns).column;
    if (match && match->name == column) return true;
  }
  return false;
}

bool ends_in_line_comment(std::string_view text) {
  // A line comment ends before its newline, so one that is the last token runs to the end.
  LexedExpression lexed = lex_expression(text);
  return !lexed.problem && !lexed.tokens.empty() && lexed.tokens.back().kind == Kind::Comment &&
         text.substr(lexed.tokens.back().begin, 2) == "--";
}

std::string rename_expression_column(std::string_view text, const std::vector<ir::Column>& columns,
                                     const std::string& from, const std::string& to) {
  LexedExpression lexed = lex_expression(text);
  if (lexed.problem) return std::string(text);
  std::string out;
  out.reserve(text.size() + to.size());
  for (const auto& t : lexed.tokens) {
    const ir::Column* column = t.never_column ? nullptr : match_column(t, columns).column;
    if (column && column->name == from)
      out += double_quoted(to);
    else
      out += text.substr(t.begin, t.end - t.begin);
  }
  return out;
}

}  // namespace migpkg::schema
