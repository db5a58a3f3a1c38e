#include "compiler/dsl/fast_lexer.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>

namespace migpkg::dsl {
namespace {

using P = generated::MigpkgParser;

// Character classes of the lexer rules, by byte (bytes >= 0x80 are parts of non-ASCII
// characters, which only OTHER, strings, dollar blocks and comments take).
enum : unsigned char {
  kWord = 1,    // [A-Za-z0-9_]: NAME
  kDigit = 2,   // [0-9]
  kLetter = 4,  // [A-Za-z_]: a NAME or keyword start, a dollar tag
  kSemver = 8,  // [0-9A-Za-z.-]: a version's pre-release and build parts
  kSpace = 16,  // [ \t\r\n\f]: WS
};

constexpr std::array<unsigned char, 256> make_classes() {
  std::array<unsigned char, 256> table{};
  for (int c = 0; c < 256; ++c) {
    unsigned char k = 0;
    bool digit = c >= '0' && c <= '9';
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (digit || alpha || c == '_') k |= kWord;
    if (digit) k |= kDigit;
    if (alpha || c == '_') k |= kLetter;
    if (digit || alpha || c == '.' || c == '-') k |= kSemver;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') k |= kSpace;
    table[static_cast<std::size_t>(c)] = k;
  }
  return table;
}
constexpr std::array<unsigned char, 256> kClasses = make_classes();

// The keywords (PLUGIN .. NULL_KW), spelled in lower case. They are matched case-insensitively
// and only when the whole NAME is the keyword: a longer name wins, an equal one loses to the
// keyword (it comes first in the grammar).
struct Keyword {
  const char* spelling;
  std::size_t type;
};
// clang-format off
constexpr Keyword kKeywords[] = {
    {"plugin", P::PLUGIN}, {"use", P::USE}, {"group", P::GROUP}, {"migration", P::MIGRATION},
    {"version", P::VERSION}, {"name", P::NAME_KW}, {"description", P::DESCRIPTION},
    {"type", P::TYPE}, {"category", P::CATEGORY}, {"risk", P::RISK}, {"requires", P::REQUIRES},
    {"backup", P::BACKUP}, {"engines", P::ENGINES}, {"depends", P::DEPENDS}, {"on", P::ON},
    {"conflicts", P::CONFLICTS}, {"with", P::WITH}, {"estimated", P::ESTIMATED},
    {"duration", P::DURATION}, {"created", P::CREATED}, {"updated", P::UPDATED}, {"at", P::AT},
    {"up", P::UP}, {"down", P::DOWN}, {"step", P::STEP}, {"not", P::NOT},
    {"transactional", P::TRANSACTIONAL}, {"irreversible", P::IRREVERSIBLE}, {"skip", P::SKIP_KW},
    {"error", P::ERROR}, {"warning", P::WARNING}, {"timeout", P::TIMEOUT},
    {"validate", P::VALIDATE}, {"before", P::BEFORE}, {"after", P::AFTER}, {"first", P::FIRST},
    {"expect", P::EXPECT}, {"rows", P::ROWS}, {"tables", P::TABLES}, {"indexes", P::INDEXES},
    {"sql", P::SQL}, {"transform", P::TRANSFORM}, {"from", P::FROM}, {"to", P::TO}, {"map", P::MAP},
    {"using", P::USING}, {"default", P::DEFAULT}, {"required", P::REQUIRED}, {"where", P::WHERE},
    {"batch", P::BATCH}, {"size", P::SIZE}, {"rule", P::RULE}, {"compute", P::COMPUTE},
    {"lookup", P::LOOKUP}, {"custom", P::CUSTOM}, {"create", P::CREATE}, {"drop", P::DROP},
    {"rename", P::RENAME}, {"alter", P::ALTER}, {"add", P::ADD}, {"table", P::TABLE},
    {"column", P::COLUMN}, {"constraint", P::CONSTRAINT}, {"primary", P::PRIMARY}, {"key", P::KEY},
    {"unique", P::UNIQUE}, {"foreign", P::FOREIGN}, {"references", P::REFERENCES},
    {"check", P::CHECK}, {"delete", P::DELETE}, {"update", P::UPDATE}, {"cascade", P::CASCADE},
    {"restrict", P::RESTRICT}, {"set", P::SET}, {"no", P::NO}, {"action", P::ACTION},
    {"index", P::INDEX}, {"view", P::VIEW}, {"as", P::AS}, {"extension", P::EXTENSION},
    {"comment", P::COMMENT}, {"is", P::IS}, {"json", P::JSON}, {"load", P::LOAD},
    {"into", P::INTO}, {"conflict", P::CONFLICT}, {"true", P::TRUE_KW},
    {"false", P::FALSE_KW}, {"null", P::NULL_KW},
};
// clang-format on
static_assert(sizeof kKeywords / sizeof kKeywords[0] == P::NULL_KW - P::PLUGIN + 1,
              "one entry per keyword token of grammar/Migpkg.g4");

constexpr std::size_t kMaxKeyword = 13;  // "transactional"

// An open-addressing table of the keywords, hashed on their lower-case spelling.
class KeywordTable {
 public:
  KeywordTable() {
    for (const Keyword& k : kKeywords) {
      std::size_t length = std::strlen(k.spelling);
      std::size_t slot = hash(k.spelling, length);
      while (slots_[slot].spelling) slot = (slot + 1) & kMask;
      slots_[slot] = {k.spelling, k.type};
      lengths_[slot] = static_cast<unsigned char>(length);
    }
  }

  // The keyword type of a NAME's text, or NAME.
  std::size_t type_of(const char* text, std::size_t length) const {
    if (length < 2 || length > kMaxKeyword) return P::NAME;
    char lower[kMaxKeyword];
    for (std::size_t i = 0; i < length; ++i) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (!(kClasses[c] & kLetter) || c == '_') return P::NAME;
      lower[i] = static_cast<char>(c | 0x20);
    }
    for (std::size_t slot = hash(lower, length); slots_[slot].spelling; slot = (slot + 1) & kMask)
      if (lengths_[slot] == length && std::memcmp(slots_[slot].spelling, lower, length) == 0)
        return slots_[slot].type;
    return P::NAME;
  }

 private:
  static constexpr std::size_t kSize = 256, kMask = kSize - 1;
  static std::size_t hash(const char* s, std::size_t length) {
    std::size_t h = length;
    for (std::size_t i = 0; i < length; ++i) h = h * 31 + static_cast<unsigned char>(s[i]);
    return h & kMask;
  }
  Keyword slots_[kSize] = {};
  unsigned char lengths_[kSize] = {};
};

const KeywordTable& keywords() {
  static const KeywordTable table;
  return table;
}

bool is(unsigned char c, unsigned char cls) {
  return (kClasses[c] & cls) != 0;
}

}  // namespace

FastLexer::FastLexer(std::string_view text) : text_(text) {
  // ANTLRInputStream drops a UTF-8 byte order mark before converting to code points.
  if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) begin_ = 3;
  pos_ = begin_;
}

std::size_t FastLexer::scan_digits(std::size_t at) const {
  while (at < text_.size() && is(static_cast<unsigned char>(text_[at]), kDigit)) ++at;
  return at;
}

// NAME : [A-Za-z0-9_]+ ([.-] [A-Za-z0-9_]+)*  -- the end of the longest match from `at`
// (which holds a word character).
std::size_t FastLexer::scan_name(std::size_t at) const {
  const std::size_t n = text_.size();
  for (;;) {
    while (at < n && is(static_cast<unsigned char>(text_[at]), kWord)) ++at;
    if (at + 1 < n && (text_[at] == '.' || text_[at] == '-') &&
        is(static_cast<unsigned char>(text_[at + 1]), kWord)) {
      at += 2;
      continue;
    }
    return at;
  }
}

// A token starting with a digit: the longest of VERSION_NUMBER, DECIMAL, INT and NAME, equal
// lengths going to the rule written first.
std::size_t FastLexer::scan_number(std::size_t& type) const {
  const std::size_t n = text_.size();
  auto at = [&](std::size_t i) { return i < n ? static_cast<unsigned char>(text_[i]) : 0; };
  std::size_t start = pos_;
  std::size_t int_end = scan_digits(start);
  std::size_t best = int_end;  // INT : DIGIT+
  type = P::INT;
  // DECIMAL : DIGIT+ '.' DIGIT+ ([eE] [+-]? DIGIT+)?
  if (at(int_end) == '.' && is(at(int_end + 1), kDigit)) {
    std::size_t fraction_end = scan_digits(int_end + 1);
    std::size_t decimal_end = fraction_end;
    if (at(fraction_end) == 'e' || at(fraction_end) == 'E') {
      std::size_t e = fraction_end + 1;
      if (at(e) == '+' || at(e) == '-') ++e;
      if (is(at(e), kDigit)) decimal_end = scan_digits(e);
    }
    // VERSION_NUMBER : DIGIT+ '.' DIGIT+ '.' DIGIT+ ('-' [0-9A-Za-z.-]+)? ('+' [0-9A-Za-z.-]+)?
    std::size_t version_end = 0;
    if (at(fraction_end) == '.' && is(at(fraction_end + 1), kDigit)) {
      version_end = scan_digits(fraction_end + 1);
      if (at(version_end) == '-' && is(at(version_end + 1), kSemver)) {
        version_end += 2;
        while (is(at(version_end), kSemver)) ++version_end;
      }
      if (at(version_end) == '+' && is(at(version_end + 1), kSemver)) {
        version_end += 2;
        while (is(at(version_end), kSemver)) ++version_end;
      }
    }
    if (version_end >= decimal_end) {
      best = version_end;
      type = P::VERSION_NUMBER;
    } else {
      best = decimal_end;
      type = P::DECIMAL;
    }
  }
  std::size_t name_end = scan_name(start);
  if (name_end > best) {
    best = name_end;
    type = P::NAME;
  }
  return best;
}

std::size_t FastLexer::scan(std::size_t& type, std::size_t& channel) const {
  const std::size_t n = text_.size();
  const std::size_t start = pos_;
  auto at = [&](std::size_t i) { return i < n ? static_cast<unsigned char>(text_[i]) : 0; };
  // OTHER : .  -- one character, whatever its length in bytes.
  auto other = [&] {
    type = P::OTHER;
    unsigned char c = at(start);
    return start + (c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4);
  };
  channel = antlr4::Token::DEFAULT_CHANNEL;
  unsigned char c = at(start);
  if (is(c, kLetter)) {
    std::size_t end = scan_name(start);
    type = keywords().type_of(text_.data() + start, end - start);
    return end;
  }
  if (is(c, kDigit)) return scan_number(type);
  switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '\f': {
      std::size_t end = start + 1;
      while (is(at(end), kSpace)) ++end;
      type = P::WS;
      channel = antlr4::Token::HIDDEN_CHANNEL;
      return end;
    }
    case '(':
      type = literal_token::kOpenParen;
      return start + 1;
    case ')':
      type = literal_token::kCloseParen;
      return start + 1;
    case ',':
      type = literal_token::kComma;
      return start + 1;
    case '{':
      type = literal_token::kOpenBrace;
      return start + 1;
    case '}':
      type = literal_token::kCloseBrace;
      return start + 1;
    case ':':
      type = literal_token::kColon;
      return start + 1;
    case '.':
      type = literal_token::kDot;
      return start + 1;
    case '-': {
      if (at(start + 1) != '-') {
        type = literal_token::kMinus;
        return start + 1;
      }
      // LINE_COMMENT : '--' ~[\r\n]* -> channel(HIDDEN)
      std::size_t end = start + 2;
      while (end < n && text_[end] != '\r' && text_[end] != '\n') ++end;
      type = P::LINE_COMMENT;
      channel = antlr4::Token::HIDDEN_CHANNEL;
      return end;
    }
    case '/': {
      // BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN); unterminated, '/' is OTHER.
      if (at(start + 1) != '*') return other();
      std::size_t close = text_.find("*/", start + 2);
      if (close == std::string_view::npos) return other();
      type = P::BLOCK_COMMENT;
      channel = antlr4::Token::HIDDEN_CHANNEL;
      return close + 2;
    }
    case '"': {
      // STRING : '"' (~["\\\r\n] | '\\' .)* '"'; unterminated, '"' is OTHER. Bytes of
      // non-ASCII characters are never one of the four special ones, so stepping over bytes
      // is stepping over characters.
      for (std::size_t i = start + 1; i < n; ++i) {
        char d = text_[i];
        if (d == '"') {
          type = P::STRING;
          return i + 1;
        }
        if (d == '\r' || d == '\n') break;
        if (d == '\\' && ++i >= n) break;
      }
      return other();
    }
    case '\'': {
      // SQL_STRING : '\'' (~'\'' | '\'\'')* '\''. After a quote the string may end there or,
      // when another quote follows, go on; the longest complete string wins.
      std::size_t end = 0;
      for (std::size_t i = start + 1; i < n; ++i) {
        if (text_[i] != '\'') continue;
        end = i + 1;
        if (at(i + 1) != '\'') break;
        ++i;
      }
      if (!end) return other();
      type = P::SQL_STRING;
      return end;
    }
    case '$': {
      // DOLLAR_TEXT : '$' ([A-Za-z_] [A-Za-z_0-9]*)? '$' { consumeDollarBody(); }
      std::size_t i = start + 1;
      if (is(at(i), kLetter)) {
        ++i;
        while (is(at(i), kWord)) ++i;
      }
      if (at(i) != '$') return other();
      // consumeDollarBody: on to the same quote, or to the end of the input.
      std::string_view tag = text_.substr(start, i + 1 - start);
      std::size_t close = text_.find(tag, i + 1);
      type = P::DOLLAR_TEXT;
      return close == std::string_view::npos ? n : close + tag.size();
    }
    default:
      return other();
  }
}

std::unique_ptr<FastToken> FastLexer::next() {
  if (pos_ >= text_.size()) {
    // As Lexer::emitEOF: start at the end, stop one before (wrapping on empty input); the text
    // CommonToken reports without a stored one is "<EOF>".
    return std::unique_ptr<FastToken>(new (arena_) FastToken(this, antlr4::Token::EOF,
                                                             antlr4::Token::DEFAULT_CHANNEL, point_,
                                                             point_ - 1, line_, column_, "<EOF>"));
  }
  std::size_t type = 0, channel = 0;
  const std::size_t start = pos_;
  const std::size_t end = scan(type, channel);
  const std::size_t start_point = point_, line = line_, column = column_;
  // Move past the token: ANTLR counts code points, and a line feed starts a new line.
  bool single_line_ascii = type != P::WS && type != P::STRING && type != P::SQL_STRING &&
                           type != P::DOLLAR_TEXT && type != P::BLOCK_COMMENT &&
                           type != P::LINE_COMMENT && type != P::OTHER;
  if (single_line_ascii) {
    point_ += end - start;
    column_ += end - start;
  } else {
    for (std::size_t i = start; i < end; ++i) {
      unsigned char b = static_cast<unsigned char>(text_[i]);
      if ((b & 0xC0) == 0x80) continue;
      ++point_;
      if (b == '\n') {
        ++line_;
        column_ = 0;
      } else {
        ++column_;
      }
    }
  }
  pos_ = end;
  return std::unique_ptr<FastToken>(new (arena_)
                                        FastToken(this, type, channel, start_point, point_ - 1,
                                                  line, column, text_.substr(start, end - start)));
}

void* TokenArena::allocate(std::size_t size) {
  size = (size + alignof(std::max_align_t) - 1) & ~(alignof(std::max_align_t) - 1);
  if (used_ + size > kBlock) {
    blocks_.emplace_back(new unsigned char[std::max(kBlock, size)]);  // not zeroed
    used_ = 0;
  }
  void* memory = blocks_.back().get() + used_;
  used_ += size;
  return memory;
}

void* FastToken::operator new(std::size_t size, TokenArena& arena) {
  return arena.allocate(size);
}

void FastToken::setText(const std::string&) {
  throw antlr4::UnsupportedOperationException("the fast lexer's tokens keep their text");
}

std::string FastToken::toString() const {
  // CommonToken's form: [@index,start:stop='text',<type>,channel=n,line:column]
  std::string text = getText();
  for (std::size_t at = 0; (at = text.find_first_of("\n\r\t", at)) != std::string::npos;)
    text.replace(at, 1, text[at] == '\n' ? "\\n" : text[at] == '\r' ? "\\r" : "\\t");
  return "[@" + std::to_string(static_cast<long>(index_)) + "," + std::to_string(start_) + ":" +
         std::to_string(stop_) + "='" + text + "',<" + std::to_string(type_) + ">" +
         (channel_ > 0 ? ",channel=" + std::to_string(channel_) : "") + "," +
         std::to_string(line_) + ":" + std::to_string(column_) + "]";
}

size_t FastTokenStream::fetch(size_t n) {
  // BufferedTokenStream::fetch, knowing the token type.
  if (_fetchedEOF) return 0;
  size_t i = 0;
  while (i < n) {
    std::unique_ptr<FastToken> token = lexer_.next();
    token->setTokenIndex(_tokens.size());
    bool eof = token->getType() == antlr4::Token::EOF;
    _tokens.push_back(std::move(token));
    ++i;
    if (eof) {
      _fetchedEOF = true;
      break;
    }
  }
  return i;
}

}  // namespace migpkg::dsl
