#include "compiler/sql/statement_splitter.hpp"

#include <cctype>
#include <string_view>

namespace migpkg {
namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

// `word` is `keyword` (upper case) in any case.
bool is_keyword(std::string_view word, std::string_view keyword) {
  if (word.size() != keyword.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(word[i])) != keyword[i]) return false;
  return true;
}

// Appends script[begin, end), without the white space around it, unless that is blank SQL (only
// white space and comments). Trimmed before copying: one copy of the statement, not two.
void add_statement(const std::string& script, std::size_t begin, std::size_t end,
                   std::vector<std::string>& out) {
  while (begin < end && std::isspace(static_cast<unsigned char>(script[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(script[end - 1]))) --end;
  std::string statement = script.substr(begin, end - begin);
  if (!is_blank_sql(statement)) out.push_back(std::move(statement));
}

class Splitter {
 public:
  Splitter(const std::string& script, const SplitOptions& options) : s_(script), o_(options) {}

  std::vector<std::string> run() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '-' && peek(1) == '-') {
        skip_until("\n", false);
      } else if (c == '/' && peek(1) == '*') {
        skip_block_comment();
      } else if (c == '\'') {
        skip_quoted('\'', o_.backslash_escapes || (o_.escape_strings && escape_prefix()));
      } else if (c == '"') {
        skip_quoted('"', o_.backslash_escapes);
      } else if (c == '`' && o_.backtick_identifiers) {
        skip_quoted('`', false);
      } else if (c == '[' && o_.bracket_identifiers) {
        skip_until("]", true);
      } else if (c == '$' && o_.dollar_quotes && dollar_tag_at(i_)) {
        skip_dollar_quoted();
      } else if (is_word_char(c) && (i_ == 0 || !is_word_char(s_[i_ - 1]))) {
        word();
      } else if (c == ';' && block_depth_ == 0) {
        finish(i_);
        ++i_;
        start_ = i_;
        continue;
      } else {
        ++i_;
      }
    }
    finish(s_.size());
    return statements_;
  }

 private:
  char peek(std::size_t ahead) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }

  void skip_until(const char* end, bool inclusive) {
    std::size_t found = s_.find(end, i_ + 1);
    i_ = found == std::string::npos ? s_.size() : found + (inclusive ? 1 : 0);
  }

  // E'...' or e'...': the quote follows a lone E that is not the end of a longer word.
  bool escape_prefix() const {
    return i_ > 0 && (s_[i_ - 1] == 'E' || s_[i_ - 1] == 'e') &&
           (i_ < 2 || !is_word_char(s_[i_ - 2]));
  }

  void skip_block_comment() {
    int depth = 0;
    while (i_ < s_.size()) {
      if (s_[i_] == '/' && peek(1) == '*') {
        if (depth == 0 || o_.nested_comments) ++depth;
        i_ += 2;
      } else if (s_[i_] == '*' && peek(1) == '/') {
        i_ += 2;
        if (--depth == 0) return;
      } else {
        ++i_;
      }
    }
  }

  void skip_quoted(char quote, bool backslash) {
    ++i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (backslash && c == '\\') {
        i_ += 2;
      } else if (c == quote) {
        if (peek(1) == quote) {
          i_ += 2;  // doubled quote escapes itself
        } else {
          ++i_;
          return;
        }
      } else {
        ++i_;
      }
    }
  }

  // $tag$ where tag is empty or an identifier not starting with a digit.
  bool dollar_tag_at(std::size_t at) {
    if (at > 0 && is_word_char(s_[at - 1])) return false;  // $1 parameters, identifiers with $
    std::size_t j = at + 1;
    if (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) return false;
    while (j < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[j])) || s_[j] == '_')) ++j;
    if (j >= s_.size() || s_[j] != '$') return false;
    tag_ = s_.substr(at, j - at + 1);
    return true;
  }

  void skip_dollar_quoted() {
    std::size_t found = s_.find(tag_, i_ + tag_.size());
    i_ = found == std::string::npos ? s_.size() : found + tag_.size();
  }

  // Tracks bodies in which ';' does not end the statement: CREATE TRIGGER ... BEGIN ... END
  // (SQLite) and BEGIN ATOMIC ... END (PostgreSQL 14+ functions). CASE ... END nests inside
  // them, so it counts as a block too.
  void word() {
    std::size_t j = i_;
    while (j < s_.size() && is_word_char(s_[j])) ++j;
    // Compared in place, case-insensitively: scripts are mostly words, and a copy of each
    // (upper-cased) was most of the splitter's cost.
    std::string_view w(s_.data() + i_, j - i_);
    i_ = j;
    if (words_in_statement_ < 4) {
      ++words_in_statement_;
      if (words_in_statement_ == 1)
        leading_create_ = is_keyword(w, "CREATE");
      else if (leading_create_ && is_keyword(w, "TRIGGER"))
        in_block_statement_ = true;
    }
    bool begin = is_keyword(w, "BEGIN");
    if (begin && next_word_is("ATOMIC")) in_block_statement_ = true;
    if (!in_block_statement_) return;
    if (begin || is_keyword(w, "CASE")) {
      ++block_depth_;
    } else if (is_keyword(w, "END") && block_depth_ > 0) {
      --block_depth_;
    }
  }

  bool next_word_is(const char* expected) const {
    std::size_t j = i_;
    while (j < s_.size() && std::isspace(static_cast<unsigned char>(s_[j]))) ++j;
    std::size_t k = j;
    while (k < s_.size() && is_word_char(s_[k])) ++k;
    return is_keyword(std::string_view(s_.data() + j, k - j), expected);
  }

  void finish(std::size_t end) {
    add_statement(s_, start_, end, statements_);
    words_in_statement_ = 0;
    in_block_statement_ = leading_create_ = false;
    block_depth_ = 0;
  }

  const std::string& s_;
  const SplitOptions& o_;
  std::size_t i_ = 0, start_ = 0;
  std::string tag_;
  int words_in_statement_ = 0;
  bool leading_create_ = false, in_block_statement_ = false;
  int block_depth_ = 0;
  std::vector<std::string> statements_;
};

}  // namespace

std::vector<std::string> split_statements(const std::string& script, const SplitOptions& options) {
  // Without a ';' the splitter ends no statement before the end of the text, whatever quotes,
  // comments or blocks it meets: the result is the trimmed text, if it is not blank. Most step
  // SQL is one statement without a terminator, and this saves scanning it token by token.
  if (script.find(';') == std::string::npos) {
    std::vector<std::string> statements;
    add_statement(script, 0, script.size(), statements);
    return statements;
  }
  return Splitter(script, options).run();
}

std::string strip_terminators(std::string sql) {
  while (!sql.empty() &&
         (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back()))))
    sql.pop_back();
  return sql;
}

bool is_blank_sql(const std::string& script) {
  std::size_t i = 0;
  while (i < script.size()) {
    char c = script[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
      ++i;
    } else if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      std::size_t nl = script.find('\n', i);
      i = nl == std::string::npos ? script.size() : nl + 1;
    } else if (c == '/' && i + 1 < script.size() && script[i + 1] == '*') {
      std::size_t close = script.find("*/", i + 2);
      i = close == std::string::npos ? script.size() : close + 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace migpkg
