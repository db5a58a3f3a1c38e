#pragma once
// The lexical forms of the DSL that both the parser and the printer need: "strings", 'SQL
// strings', dollar-quoted blocks, parenthesized SQL and bare names. Each decoder has an encoder
// here so that printing and parsing again gives back the same text (docs/dsl.md, "Lexical
// structure").
#include <optional>
#include <string>

namespace migpkg::dsl {

// A "string" token (quotes included) decoded; nullopt and `error` set on a bad escape.
std::optional<std::string> decode_string(const std::string& token, std::string& error);
std::string quote_string(const std::string& value);

// A 'SQL string' token ('' stands for one quote).
std::string decode_sql_string(const std::string& token);
std::string quote_sql_string(const std::string& value);

// The text of a dollar-quoted block. An opening quote followed by a line break starts a
// multi-line block: the break is dropped, and the indentation of the closing quote's line is
// removed from every line. Otherwise surrounding spaces are trimmed. False when unterminated.
bool dollar_body(const std::string& token, std::string& out);
// `text` as a dollar-quoted block whose continuation lines start with `indent`; the tag is
// chosen so that it does not occur in the text.
std::string dollar_quote(const std::string& text, const std::string& indent);

// True when "(" + text + ")" lexes back to exactly `text`: balanced parentheses outside 'SQL
// strings', and no character that starts a DSL string, dollar quote or comment.
bool paren_safe(const std::string& text);
// SQL for an expression position: (text) when safe, else a dollar-quoted block.
std::string sql_expression(const std::string& text, const std::string& indent);

// True when `text` lexes as one NAME token (and may therefore be printed without quotes).
bool is_bare_name(const std::string& text);
// A name as the printer writes it: bare when possible, else a "string".
std::string name_text(const std::string& text);

}  // namespace migpkg::dsl
