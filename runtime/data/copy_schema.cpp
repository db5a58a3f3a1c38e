#include "runtime/data/copy_schema.hpp"

#include <cctype>
#include <set>
#include <stdexcept>

#include "compiler/dialects/dialect.hpp"
#include "runtime/data/portable_values.hpp"

namespace migpkg::data {
namespace {

using Kind = ir::ColumnType::Kind;

std::string trim(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Without white space and in lower case: "CURRENT_TIMESTAMP( 6 )" -> "current_timestamp(6)".
std::string squeezed(const std::string& text) {
  std::string out;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether the parenthesis at 0 closes at the end (quotes skipped).
bool wrapped(const std::string& text) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'') {
      for (++i; i < text.size() && text[i] != '\''; ++i) {
      }
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0 && i + 1 < text.size()) return false;
  }
  return true;
}

// PostgreSQL's casts at the end ("'a'::character varying", "(0)::numeric(10,2)") and the
// parentheses around the whole: the value itself.
std::string bare_value(std::string text) {
  while (true) {
    text = trim(text);
    if (wrapped(text)) {
      text = text.substr(1, text.size() - 2);
      continue;
    }
    std::size_t cast = text.rfind("::");
    if (cast == std::string::npos) return text;
    // Only when what follows is a type name (letters, spaces, (digits,), [] ).
    bool type_name = true;
    for (char c : text.substr(cast + 2))
      type_name =
          type_name && (std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '_' ||
                        c == '(' || c == ')' || c == ',' || c == '[' || c == ']' || c == '"');
    if (!type_name) return text;
    text = text.substr(0, cast);
  }
}

// 'it''s' -> it's (and MySQL's 'it\'s'); nullopt when `text` is not one quoted string.
std::optional<std::string> unquoted(const std::string& text, bool backslash_escapes) {
  if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (backslash_escapes && text[i] == '\\' && i + 2 < text.size()) {
      static const std::string from = "0nrtZ", to{'\0', '\n', '\r', '\t', '\x1a'};
      std::size_t special = from.find(text[++i]);
      out += special == std::string::npos ? text[i] : to[special];
      continue;
    }
    if (text[i] == '\'') {
      if (i + 2 < text.size() && text[i + 1] == '\'') {
        out += '\'';
        ++i;
        continue;
      }
      return std::nullopt;  // two strings, or an expression with strings in it
    }
    out += text[i];
  }
  return out;
}

bool is_number(const std::string& text) {
  if (text.empty()) return false;
  std::size_t at = text[0] == '-' || text[0] == '+' ? 1 : 0;
  bool digits = false, point = false;
  for (; at < text.size(); ++at) {
    char c = text[at];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digits;
}

bool is_now(const std::string& s, ir::Engine source) {
  static const std::set<std::string> spellings{"now()",
                                               "current_timestamp",
                                               "current_timestamp()",
                                               "localtimestamp",
                                               "localtimestamp()",
                                               "transaction_timestamp()",
                                               "statement_timestamp()",
                                               "clock_timestamp()",
                                               "sysdate()",
                                               "utc_timestamp()",
                                               "datetime('now')",
                                               "datetime('now','utc')"};
  if (spellings.count(s)) return true;
  // CURRENT_TIMESTAMP(6), now(6); SQLite's strftime(..., 'now') as migpkg writes a time.
  if (s.rfind("current_timestamp(", 0) == 0 || s.rfind("now(", 0) == 0 ||
      s.rfind("localtimestamp(", 0) == 0)
    return true;
  if (s.rfind("strftime(", 0) == 0 && s.find("'now'") != std::string::npos) return true;
  return s == squeezed(bare_value(dialect_for(source).spec().ddl.now_default));
}

bool is_uuid(const std::string& s, ir::Engine source) {
  static const std::set<std::string> spellings{"gen_random_uuid()", "uuid_generate_v4()", "uuid()",
                                               "sys_guid()", "newid()"};
  if (spellings.count(s)) return true;
  const std::string own = dialect_for(source).spec().ddl.uuid_default;
  return !own.empty() && s == squeezed(bare_value(own));
}

ir::ColumnDefault literal_default(ir::Literal literal) {
  ir::ColumnDefault out;
  out.kind = ir::ColumnDefault::Kind::Literal;
  out.literal = std::move(literal);
  return out;
}

}  // namespace

std::optional<ir::ColumnDefault> portable_default(ir::Engine source, const std::string& text,
                                                  const ir::ColumnType& type, std::string& why) {
  why.clear();
  const std::string value = bare_value(text);
  const std::string s = squeezed(value);
  if (s.empty() || s == "null") return std::nullopt;
  auto refuse = [&](const std::string& reason) -> std::optional<ir::ColumnDefault> {
    why = "default " + trim(text) + ": " + reason;
    return std::nullopt;
  };
  // A counter's default is its sequence (nextval(...)): the column's type brings its own.
  if (type.kind == Kind::Serial || type.kind == Kind::BigSerial) return std::nullopt;
  if (is_now(s, source)) {
    if (type.kind != Kind::Timestamp && type.kind != Kind::TimestampTz)
      return refuse("the current time, for a column that is no timestamp");
    ir::ColumnDefault out;
    out.kind = ir::ColumnDefault::Kind::Now;
    return out;
  }
  if (is_uuid(s, source)) {
    // MySQL keeps a uuid in CHAR(36): its UUID() default is still a new UUID.
    bool holds = type.kind == Kind::Uuid || type.kind == Kind::Text ||
                 ((type.kind == Kind::Char || type.kind == Kind::String) && type.length &&
                  *type.length >= 36);
    if (!holds) return refuse("a new UUID, for a column that cannot hold one");
    ir::ColumnDefault out;
    out.kind = ir::ColumnDefault::Kind::Uuid;
    return out;
  }
  std::optional<std::string> quoted = unquoted(value, source == ir::Engine::MySQL);
  // b'1' (MySQL's BIT) is not a string.
  const std::string literal_text = quoted ? *quoted : value;
  ir::Literal literal;
  switch (type.kind) {
    case Kind::Bool: {
      const std::string b = lower(literal_text);
      if (b == "true" || b == "t" || b == "1" || b == "yes" || b == "on") {
        literal.kind = ir::Literal::Kind::Bool;
        literal.boolean = true;
      } else if (b == "false" || b == "f" || b == "0" || b == "no" || b == "off") {
        literal.kind = ir::Literal::Kind::Bool;
      } else {
        return refuse("not a boolean");
      }
      return literal_default(literal);
    }
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Decimal:
    case Kind::Float32:
    case Kind::Float64: {
      if (literal_text.empty() || !is_number(literal_text)) return refuse("not a number");
      const bool integral = literal_text.find('.') == std::string::npos;
      if (integral && type.kind != Kind::Float32 && type.kind != Kind::Float64) {
        literal.kind = ir::Literal::Kind::Integer;
        try {
          literal.integer = std::stoll(literal_text);
        } catch (const std::exception&) {
          return refuse("out of range");
        }
      } else {
        literal.kind = ir::Literal::Kind::Real;
        literal.real = std::stod(literal_text);
      }
      literal.text = literal_text;
      std::string fitted = literal_text;
      try {
        if (type.kind != Kind::Float32 && type.kind != Kind::Float64) portable::fit(type, fitted);
      } catch (const std::invalid_argument& error) {
        return refuse(error.what());
      }
      return literal_default(literal);
    }
    case Kind::Json: {
      if (!quoted) return refuse("not a JSON text");
      ir::ColumnDefault out;
      out.kind = ir::ColumnDefault::Kind::Json;
      try {
        out.text = portable::canonical_json(*quoted);
      } catch (const std::invalid_argument& error) {
        return refuse(error.what());
      }
      return out;
    }
    case Kind::Text:
    case Kind::String:
    case Kind::Char:
    case Kind::Enum:
    case Kind::Uuid:
    case Kind::Date:
    case Kind::Time:
    case Kind::Timestamp:
    case Kind::TimestampTz: {
      // A number for a text column (MySQL prints some so) is the same text.
      if (!quoted && !is_number(value)) return refuse("an expression, not a value");
      std::string fitted = literal_text;
      try {
        portable::fit(type, fitted);
      } catch (const std::invalid_argument& error) {
        return refuse(error.what());
      }
      literal.kind = ir::Literal::Kind::String;
      literal.text = type.kind == Kind::Text || type.kind == Kind::String ||
                             type.kind == Kind::Char || type.kind == Kind::Enum
                         ? literal_text
                         : fitted;
      return literal_default(literal);
    }
    default:
      return refuse("no portable literal of this type");
  }
}

std::optional<std::string> portable_check(const std::string& text,
                                          const std::vector<std::string>& columns,
                                          std::vector<std::string>& referenced, std::string& why) {
  static const std::set<std::string> keywords{"and",  "or",   "not",     "in",   "is",
                                              "null", "like", "between", "true", "false"};
  static const std::set<std::string> cast_words{"varying", "precision", "with",
                                                "without", "time",      "zone"};
  why.clear();
  referenced.clear();
  std::string out;
  auto add = [&](const std::string& token) {
    if (!out.empty() && out.back() != '(' && token != ")" && token != ",") out += ' ';
    out += token;
  };
  auto column_token = [&](const std::string& name) -> bool {
    for (const std::string& column : columns)
      if (column == name) {
        bool simple = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
        for (char c : name)
          simple = simple && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
        if (!simple || keywords.count(lower(name))) {
          why = "column " + name + " needs quotes";
          return false;
        }
        add(name);
        referenced.push_back(name);
        return true;
      }
    why = "'" + name + "' is not a column of the table";
    return false;
  };
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '\'') {
      std::string literal = "'";
      for (++i; i < text.size(); ++i) {
        if (text[i] == '\'') {
          if (i + 1 < text.size() && text[i + 1] == '\'') {
            literal += "''";
            ++i;
            continue;
          }
          break;
        }
        if (text[i] == '\\') {
          why = "a backslash in a string";
          return std::nullopt;
        }
        literal += text[i];
      }
      ++i;
      add(literal + "'");
      continue;
    }
    if (c == '"' || c == '`') {
      std::size_t close = text.find(c, i + 1);
      if (close == std::string::npos) {
        why = "an unterminated name";
        return std::nullopt;
      }
      if (!column_token(text.substr(i + 1, close - i - 1))) return std::nullopt;
      i = close + 1;
      continue;
    }
    if (c == ':' && i + 1 < text.size() && text[i + 1] == ':') {
      // A PostgreSQL cast: the type name (possibly of several words, a length, []) goes, and
      // a number it printed as a string ('-10'::integer) is the number.
      std::size_t quote = out.rfind(' ') == std::string::npos ? 0 : out.rfind(' ') + 1;
      if (out.size() > quote + 2 && out[quote] == '\'' && out.back() == '\'' &&
          is_number(out.substr(quote + 1, out.size() - quote - 2)))
        out = out.substr(0, quote) + out.substr(quote + 1, out.size() - quote - 2);
      i += 2;
      while (i < text.size() && text[i] == ' ') ++i;
      bool first = true;
      while (i < text.size()) {
        std::size_t end = i;
        if (text[i] == '"') {
          end = text.find('"', i + 1);
          end = end == std::string::npos ? text.size() : end + 1;
        } else {
          while (end < text.size() &&
                 (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
            ++end;
        }
        if (end == i || (!first && !cast_words.count(lower(text.substr(i, end - i))))) break;
        first = false;
        i = end;
        std::size_t next = i;
        while (next < text.size() && text[next] == ' ') ++next;
        if (next < text.size() && std::isalpha(static_cast<unsigned char>(text[next])))
          i = next;
        else
          break;
      }
      if (i < text.size() && text[i] == '(') {
        std::size_t close = text.find(')', i);
        i = close == std::string::npos ? text.size() : close + 1;
      }
      if (text.compare(i, 2, "[]") == 0) i += 2;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      std::size_t end = i;
      while (end < text.size() &&
             (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.'))
        ++end;
      add(text.substr(i, end - i));
      i = end;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = i;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
        ++end;
      std::string word = text.substr(i, end - i);
      std::size_t next = end;
      while (next < text.size() && text[next] == ' ') ++next;
      if (!keywords.count(lower(word)) && next < text.size() && text[next] == '(') {
        why = "the function " + word;
        return std::nullopt;
      }
      if (keywords.count(lower(word))) {
        std::string upper = word;
        for (char& u : upper) u = static_cast<char>(std::toupper(static_cast<unsigned char>(u)));
        add(upper);
      } else if (!column_token(word)) {
        return std::nullopt;
      }
      i = end;
      continue;
    }
    static const std::vector<std::string> symbols{"<>", "!=", "<=", ">=", "=", "<", ">", "+",
                                                  "-",  "*",  "/",  "%",  "(", ")", ","};
    bool matched = false;
    for (const std::string& symbol : symbols)
      if (text.compare(i, symbol.size(), symbol) == 0) {
        add(symbol == "!=" ? "<>" : symbol);
        i += symbol.size();
        matched = true;
        break;
      }
    if (!matched) {
      why = std::string("the symbol '") + c + "'";
      return std::nullopt;
    }
  }
  if (referenced.empty()) {
    why = "it names no column";
    return std::nullopt;
  }
  return out;
}

}  // namespace migpkg::data
