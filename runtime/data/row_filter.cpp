#include "runtime/data/row_filter.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "compiler/schema/type_names.hpp"
#include "compiler/transform/function_catalog.hpp"
#include "compiler/util/word_list.hpp"
#include "runtime/data/portable_values.hpp"
#include "runtime/data/value_functions.hpp"

namespace migpkg::data {
namespace {

using Kind = ir::ColumnType::Kind;

// How two values are compared.
enum class Category { Unknown, Number, Float, Bool, Temporal, Uuid, Text };

Category category_of(const ir::ColumnType& type) {
  switch (type.kind) {
    case Kind::Int16:
    case Kind::Int32:
    case Kind::Int64:
    case Kind::Serial:
    case Kind::BigSerial:
    case Kind::Decimal:
      return Category::Number;
    case Kind::Float32:
    case Kind::Float64:
      return Category::Float;
    case Kind::Bool:
      return Category::Bool;
    case Kind::Date:
    case Kind::Time:
    case Kind::Timestamp:
    case Kind::TimestampTz:
      return Category::Temporal;
    case Kind::Uuid:
      return Category::Uuid;
    default:
      return Category::Text;
  }
}

const char* category_name(Category category) {
  switch (category) {
    case Category::Number:
      return "a number";
    case Category::Float:
      return "a floating-point number";
    case Category::Bool:
      return "a boolean";
    case Category::Temporal:
      return "a date or time";
    case Category::Uuid:
      return "a uuid";
    case Category::Text:
      return "text";
    case Category::Unknown:
      break;
  }
  return "NULL";
}

struct Token {
  enum class Kind { End, Name, QuotedName, String, Number, Symbol } kind = Kind::End;
  std::string text;
  std::size_t at = 0;  // 1-based character position, for messages
};

struct Operand {
  enum class Kind { Column, Literal, Function } kind = Kind::Literal;
  std::size_t column = 0;
  const ir::ColumnType* type = nullptr;  // a column's; or a literal bound to the other side's
  Value value;                           // a literal, normalized once bound
  ir::Literal literal;                   // a literal as written (for function parameters)
  std::string function;
  std::vector<ir::Literal> parameters;
  std::unique_ptr<Operand> argument;
  Category category = Category::Unknown;
  std::size_t at = 0;
};

struct Node {
  enum class Kind { And, Or, Not, Compare, IsNull, In } kind = Kind::Compare;
  std::vector<std::unique_ptr<Node>> children;  // And, Or, Not
  Operand left;
  std::string op;                   // Compare: = <> < <= > >=
  bool negated = false;             // IS NOT NULL, NOT IN
  std::vector<Operand> candidates;  // In
};

// "-12.50" -> sign, integer digits without leading zeros, fraction digits without trailing ones.
struct Exact {
  bool negative = false;
  std::string whole, fraction;
};

bool parse_exact(const std::string& text, Exact& out) {
  std::size_t at = 0;
  if (at < text.size() && (text[at] == '-' || text[at] == '+')) out.negative = text[at++] == '-';
  std::size_t digits = 0;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])))
    out.whole += text[at++], ++digits;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])))
      out.fraction += text[at++], ++digits;
  }
  if (at != text.size() || digits == 0) return false;
  std::size_t first = out.whole.find_first_not_of('0');
  out.whole = first == std::string::npos ? "" : out.whole.substr(first);
  std::size_t last = out.fraction.find_last_not_of('0');
  out.fraction = last == std::string::npos ? "" : out.fraction.substr(0, last + 1);
  if (out.whole.empty() && out.fraction.empty()) out.negative = false;  // -0 is 0
  return true;
}

int compare_magnitude(const Exact& a, const Exact& b) {
  if (a.whole.size() != b.whole.size()) return a.whole.size() < b.whole.size() ? -1 : 1;
  if (int c = a.whole.compare(b.whole)) return c < 0 ? -1 : 1;
  if (int c = a.fraction.compare(b.fraction)) return c < 0 ? -1 : 1;
  return 0;
}

int compare_exact(const Exact& a, const Exact& b) {
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int magnitude = compare_magnitude(a, b);
  return a.negative ? -magnitude : magnitude;
}

// A date, time or timestamp's portable text as a key that orders as the instants do: the
// fraction of a second padded, so that "10:00:00Z" sorts after "09:59:59.5Z".
std::string temporal_key(const std::string& text) {
  std::string out = text;
  if (!out.empty() && out.back() == 'Z') out.pop_back();
  std::size_t colon = out.rfind(':');
  if (colon == std::string::npos) return out;  // a date
  std::size_t point = out.find('.', colon);
  std::string fraction = point == std::string::npos ? "" : out.substr(point + 1);
  if (point != std::string::npos) out.erase(point);
  fraction.resize(9, '0');
  return out + "." + fraction;
}

class Parser {
 public:
  Parser(const DataTable& table, const std::string& text) : table_(table), text_(text) {
    tokenize();
  }

  std::unique_ptr<Node> parse() {
    std::unique_ptr<Node> node = parse_or();
    if (peek().kind != Token::Kind::End) fail(peek(), "expected AND, OR or the end");
    return node;
  }

 private:
  [[noreturn]] void fail(const Token& token, const std::string& problem) const {
    fail_at(token.at, problem);
  }
  [[noreturn]] void fail_at(std::size_t at, const std::string& problem) const {
    throw std::runtime_error("--where " + table_.name + ":" + text_ + ": at character " +
                             std::to_string(at) + ": " + problem);
  }

  void tokenize() {
    std::size_t i = 0;
    auto is_name_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
             static_cast<unsigned char>(c) >= 0x80;
    };
    while (true) {
      while (i < text_.size() && std::isspace(static_cast<unsigned char>(text_[i]))) ++i;
      Token token;
      token.at = i + 1;
      if (i >= text_.size()) {
        tokens_.push_back(token);
        return;
      }
      char c = text_[i];
      if (c == '\'' || c == '"') {
        token.kind = c == '\'' ? Token::Kind::String : Token::Kind::QuotedName;
        ++i;
        while (true) {
          if (i >= text_.size()) fail(token, std::string("unterminated ") + c);
          if (text_[i] == c) {
            if (i + 1 < text_.size() && text_[i + 1] == c) {
              token.text += c;
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          token.text += text_[i++];
        }
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 ((c == '-' || c == '.') && i + 1 < text_.size() &&
                  (std::isdigit(static_cast<unsigned char>(text_[i + 1])) ||
                   text_[i + 1] == '.'))) {
        token.kind = Token::Kind::Number;
        token.text += text_[i++];
        while (i < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[i])) || text_[i] == '.' ||
                ((text_[i] == '+' || text_[i] == '-') &&
                 (text_[i - 1] == 'e' || text_[i - 1] == 'E'))))
          token.text += text_[i++];
      } else if (is_name_char(c)) {
        token.kind = Token::Kind::Name;
        while (i < text_.size() && is_name_char(text_[i])) token.text += text_[i++];
      } else {
        token.kind = Token::Kind::Symbol;
        std::string two = text_.substr(i, 2);
        if (two == "<>" || two == "!=" || two == "<=" || two == ">=") {
          token.text = two == "!=" ? "<>" : two;
          i += 2;
        } else if (std::string("=<>(),").find(c) != std::string::npos) {
          token.text = c;
          ++i;
        } else {
          fail(token, std::string("unexpected character '") + c + "'");
        }
      }
      tokens_.push_back(token);
    }
  }

  const Token& peek() const { return tokens_[next_]; }
  const Token& take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }
  bool keyword(const char* word) const {
    const Token& token = peek();
    if (token.kind != Token::Kind::Name || token.text.size() != std::string(word).size())
      return false;
    for (std::size_t i = 0; i < token.text.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(token.text[i])) != word[i]) return false;
    return true;
  }
  bool symbol(const char* text) const {
    return peek().kind == Token::Kind::Symbol && peek().text == text;
  }
  void expect(const char* text) {
    if (!symbol(text)) fail(peek(), std::string("expected '") + text + "'");
    take();
  }

  std::unique_ptr<Node> parse_or() {
    std::unique_ptr<Node> left = parse_and();
    while (keyword("OR")) {
      take();
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::Or;
      node->children.push_back(std::move(left));
      node->children.push_back(parse_and());
      left = std::move(node);
    }
    return left;
  }

  std::unique_ptr<Node> parse_and() {
    std::unique_ptr<Node> left = parse_not();
    while (keyword("AND")) {
      take();
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::And;
      node->children.push_back(std::move(left));
      node->children.push_back(parse_not());
      left = std::move(node);
    }
    return left;
  }

  std::unique_ptr<Node> parse_not() {
    if (keyword("NOT")) {
      take();
      auto node = std::make_unique<Node>();
      node->kind = Node::Kind::Not;
      node->children.push_back(parse_not());
      return node;
    }
    if (symbol("(")) {
      take();
      std::unique_ptr<Node> inner = parse_or();
      expect(")");
      return inner;
    }
    auto node = std::make_unique<Node>();
    node->left = parse_operand();
    if (keyword("IS")) {
      take();
      node->kind = Node::Kind::IsNull;
      if (keyword("NOT")) take(), node->negated = true;
      if (!keyword("NULL")) fail(peek(), "expected NULL after IS");
      take();
      return node;
    }
    if (keyword("NOT") || keyword("IN")) {
      if (keyword("NOT")) take(), node->negated = true;
      if (!keyword("IN")) fail(peek(), "expected IN after NOT");
      take();
      node->kind = Node::Kind::In;
      expect("(");
      do {
        node->candidates.push_back(parse_operand());
        bind(node->left, node->candidates.back());
      } while (symbol(",") && (take(), true));
      expect(")");
      return node;
    }
    static const std::vector<std::string> comparisons{"=", "<>", "<", "<=", ">", ">="};
    if (peek().kind != Token::Kind::Symbol ||
        std::find(comparisons.begin(), comparisons.end(), peek().text) == comparisons.end())
      fail(peek(), "expected a comparison (= <> < <= > >=), IS NULL or IN after the operand");
    node->op = take().text;
    Operand right = parse_operand();
    bind(node->left, right);
    node->candidates.push_back(std::move(right));
    return node;
  }

  ir::Literal parse_literal() {
    const Token& token = take();
    ir::Literal literal;
    if (token.kind == Token::Kind::String) {
      literal.kind = ir::Literal::Kind::String;
      literal.text = token.text;
    } else if (token.kind == Token::Kind::Number) {
      Exact exact;
      if (parse_exact(token.text, exact) && token.text.find('.') == std::string::npos) {
        literal.kind = ir::Literal::Kind::Integer;
        try {
          literal.integer = std::stoll(token.text);
        } catch (const std::exception&) {
        }
      } else {
        literal.kind = ir::Literal::Kind::Real;
        char* end = nullptr;
        literal.real = std::strtod(token.text.c_str(), &end);
        if (!end || *end) fail(token, "'" + token.text + "' is not a number");
      }
      literal.text = token.text;
    } else if (token.kind == Token::Kind::Name &&
               (keyword_text(token, "TRUE") || keyword_text(token, "FALSE"))) {
      literal.kind = ir::Literal::Kind::Bool;
      literal.boolean = keyword_text(token, "TRUE");
    } else if (token.kind == Token::Kind::Name && keyword_text(token, "NULL")) {
      literal.kind = ir::Literal::Kind::Null;
    } else {
      fail(token, "expected a literal (a 'text', a number, TRUE, FALSE or NULL)");
    }
    return literal;
  }

  static bool keyword_text(const Token& token, const char* word) {
    std::string upper = token.text;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper == word;
  }

  Operand parse_operand() {
    const Token& token = peek();
    Operand operand;
    operand.at = token.at;
    if (token.kind == Token::Kind::Name && !keyword_text(token, "TRUE") &&
        !keyword_text(token, "FALSE") && !keyword_text(token, "NULL") &&
        tokens_[next_ + 1].kind == Token::Kind::Symbol && tokens_[next_ + 1].text == "(") {
      take();
      take();
      operand.kind = Operand::Kind::Function;
      operand.function = token.text;
      const FunctionSignature* signature = find_function(operand.function);
      if (!signature)
        fail(token, "unknown function '" + operand.function +
                        "' (known: " + or_list(builtin_function_names()) + ")");
      operand.argument = std::make_unique<Operand>(parse_operand());
      while (symbol(",")) {
        take();
        operand.parameters.push_back(parse_literal());
      }
      expect(")");
      std::string problem = check_parameters(*signature, operand.parameters);
      if (!problem.empty()) fail(token, "function " + operand.function + ": " + problem);
      operand.category = function_category(operand.function, operand.argument->category);
      return operand;
    }
    if (token.kind == Token::Kind::Name || token.kind == Token::Kind::QuotedName) {
      bool quoted = token.kind == Token::Kind::QuotedName;
      if (!quoted && (keyword_text(token, "TRUE") || keyword_text(token, "FALSE") ||
                      keyword_text(token, "NULL"))) {
        operand.literal = parse_literal();
        operand.value = literal_value(operand.literal);
        operand.category = literal_category(operand.literal);
        return operand;
      }
      take();
      for (std::size_t i = 0; i < table_.columns.size(); ++i)
        if (table_.columns[i].name == token.text) {
          operand.kind = Operand::Kind::Column;
          operand.column = i;
          operand.type = &table_.columns[i].type;
          operand.category = category_of(*operand.type);
          return operand;
        }
      std::vector<std::string> names;
      for (const DataColumn& column : table_.columns) names.push_back(column.name);
      fail(token, "table " + table_.name + " has no column " + token.text + " (it has " +
                      or_list(names) + ")");
    }
    operand.literal = parse_literal();
    operand.value = literal_value(operand.literal);
    operand.category = literal_category(operand.literal);
    return operand;
  }

  static Category literal_category(const ir::Literal& literal) {
    switch (literal.kind) {
      case ir::Literal::Kind::Integer:
      case ir::Literal::Kind::Real:
        return Category::Number;
      case ir::Literal::Kind::Bool:
        return Category::Bool;
      case ir::Literal::Kind::String:
        return Category::Text;
      case ir::Literal::Kind::Null:
        break;
    }
    return Category::Unknown;
  }

  static Category function_category(const std::string& name, Category argument) {
    if (name == "length" || name == "abs" || name == "round" || name == "to_integer" ||
        name == "to_decimal")
      return Category::Number;
    if (name == "to_boolean") return Category::Bool;
    if (name == "coalesce" || name == "nullif") return argument;
    return Category::Text;
  }

  // A literal compared with a column (or a function's value) becomes a value of that side's
  // category, checked once here: a date literal that is no date is a mistake in COND, not a
  // row that fails to match.
  void bind(Operand& left, Operand& right) {
    Operand* literal = right.kind == Operand::Kind::Literal ? &right : nullptr;
    Operand* other = literal ? &left : &right;
    if (!literal && left.kind == Operand::Kind::Literal) literal = &left, other = &right;
    if (literal && !literal->value) return;  // NULL: compares as unknown
    if (!literal) {
      bool same = left.category == right.category ||
                  (left.category == Category::Number && right.category == Category::Float) ||
                  (left.category == Category::Float && right.category == Category::Number);
      if (!same)
        fail_at(right.at, "cannot compare " + std::string(category_name(left.category)) + " with " +
                              category_name(right.category));
      return;
    }
    if (other->kind == Operand::Kind::Literal) {
      if (other->category != literal->category && other->value)
        fail_at(right.at, "cannot compare " + std::string(category_name(left.category)) + " with " +
                              category_name(right.category));
      return;
    }
    const std::string what = other->kind == Operand::Kind::Column
                                 ? "column " + table_.columns[other->column].name + " (" +
                                       schema::type_name(*other->type) + ")"
                                 : "function " + other->function;
    auto refuse = [&](const std::string& why) {
      fail_at(literal->at, "the literal " + literal_text(*literal) + " is not " +
                               category_name(other->category) + " for " + what +
                               (why.empty() ? "" : ": " + why));
    };
    std::string text = *literal->value;
    switch (other->category) {
      case Category::Number:
      case Category::Float: {
        Exact exact;
        if (literal->category != Category::Number) refuse("");
        if (other->category == Category::Number && !parse_exact(text, exact))
          refuse("an exact number has no exponent");
        break;
      }
      case Category::Bool:
        if (literal->category != Category::Bool) refuse("write TRUE or FALSE");
        break;
      case Category::Temporal:
      case Category::Uuid:
        if (literal->category != Category::Text) refuse("write it as 'text'");
        if (other->kind == Operand::Kind::Column) {
          try {
            text = other->type->kind == Kind::TimestampTz
                       ? portable::timestamptz(text, true)
                       : (portable::fit(*other->type, text), text);
          } catch (const std::invalid_argument& error) {
            refuse(error.what());
          }
        }
        break;
      case Category::Text:
        if (literal->category != Category::Text) refuse("write it as 'text'");
        break;
      case Category::Unknown:
        break;
    }
    literal->value = text;
    literal->category = other->category;
    literal->type = other->type;
  }

  static std::string literal_text(const Operand& literal) {
    if (literal.literal.kind == ir::Literal::Kind::String) return "'" + literal.literal.text + "'";
    return literal.value.value_or("NULL");
  }

  const DataTable& table_;
  const std::string& text_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
};

Value evaluate(const Operand& operand, const Row& row) {
  switch (operand.kind) {
    case Operand::Kind::Column:
      return row.at(operand.column);
    case Operand::Kind::Literal:
      return operand.value;
    case Operand::Kind::Function:
      return apply_function(operand.function, operand.parameters, evaluate(*operand.argument, row));
  }
  return std::nullopt;
}

// -1, 0, 1; nullopt when the values do not compare (NaN, text where a number was expected).
std::optional<int> compare(Category category, const std::string& a, const std::string& b) {
  switch (category) {
    case Category::Number: {
      Exact x, y;
      if (parse_exact(a, x) && parse_exact(b, y)) return compare_exact(x, y);
      [[fallthrough]];
    }
    case Category::Float: {
      double x = portable::parse_double(a), y = portable::parse_double(b);
      if (std::isnan(x) || std::isnan(y)) return std::nullopt;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case Category::Temporal: {
      int c = temporal_key(a).compare(temporal_key(b));
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case Category::Uuid: {
      int c = portable::uuid(a).compare(portable::uuid(b));
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    default: {
      int c = a.compare(b);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
  }
}

// SQL's three values: true, false, unknown (nullopt).
std::optional<bool> test(const Node& node, const Row& row) {
  switch (node.kind) {
    case Node::Kind::And: {
      std::optional<bool> a = test(*node.children[0], row);
      if (a == false) return false;
      std::optional<bool> b = test(*node.children[1], row);
      if (b == false) return false;
      if (!a || !b) return std::nullopt;
      return true;
    }
    case Node::Kind::Or: {
      std::optional<bool> a = test(*node.children[0], row);
      if (a == true) return true;
      std::optional<bool> b = test(*node.children[1], row);
      if (b == true) return true;
      if (!a || !b) return std::nullopt;
      return false;
    }
    case Node::Kind::Not: {
      std::optional<bool> a = test(*node.children[0], row);
      if (!a) return std::nullopt;
      return !*a;
    }
    case Node::Kind::IsNull:
      return evaluate(node.left, row).has_value() == node.negated;
    case Node::Kind::Compare:
    case Node::Kind::In:
      break;
  }
  Value left = evaluate(node.left, row);
  Category category = node.left.category;
  bool unknown = false;
  for (const Operand& candidate : node.candidates) {
    Value right = evaluate(candidate, row);
    if (!left || !right) {
      unknown = true;
      continue;
    }
    Category as = category;
    if (as == Category::Unknown || as == Category::Text) as = candidate.category;
    if (category == Category::Float || candidate.category == Category::Float) as = Category::Float;
    std::optional<int> c;
    try {
      c = compare(as, *left, *right);
    } catch (const std::invalid_argument&) {
      c.reset();
    }
    if (!c) {
      unknown = true;
      continue;
    }
    if (node.kind == Node::Kind::In) {
      if (*c == 0) return !node.negated;
      continue;
    }
    const std::string& op = node.op;
    return op == "="    ? *c == 0
           : op == "<>" ? *c != 0
           : op == "<"  ? *c < 0
           : op == "<=" ? *c <= 0
           : op == ">"  ? *c > 0
                        : *c >= 0;
  }
  if (unknown) return std::nullopt;
  return node.negated;  // IN: no candidate matched
}

}  // namespace

struct RowFilter::Parsed {
  std::string condition;
  std::unique_ptr<Node> root;
  std::string table;
};

RowFilter::RowFilter(const DataTable& table, const std::string& condition)
    : parsed_(std::make_unique<Parsed>()) {
  parsed_->condition = condition;
  parsed_->table = table.name;
  parsed_->root = Parser(table, parsed_->condition).parse();
}

RowFilter::~RowFilter() = default;
RowFilter::RowFilter(RowFilter&&) noexcept = default;

bool RowFilter::matches(const Row& row) const {
  try {
    return test(*parsed_->root, row) == true;
  } catch (const std::runtime_error& error) {
    throw std::runtime_error("--where " + parsed_->table + ":" + parsed_->condition + ": " +
                             error.what());
  }
}

const std::string& RowFilter::condition() const {
  return parsed_->condition;
}

}  // namespace migpkg::data
