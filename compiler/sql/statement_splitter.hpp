#pragma once
// Splits a SQL script into statements at top-level semicolons. The runtime sends statements
// one at a time, so an error names the statement that failed and PostgreSQL can run
// CREATE INDEX CONCURRENTLY (which refuses to run inside a multi-statement string).
#include <string>
#include <vector>

namespace migpkg {

struct SplitOptions {
  bool dollar_quotes = false;         // PostgreSQL $$ ... $$ and $tag$ ... $tag$
  bool backslash_escapes = false;     // MySQL '\'' inside strings
  bool bracket_identifiers = false;   // SQLite / SQL Server [identifier]
  bool backtick_identifiers = false;  // MySQL / SQLite `identifier`
  bool escape_strings = false;        // PostgreSQL E'...' strings, where \' does not end the string
  bool nested_comments = false;       // PostgreSQL /* a /* b */ c */
};

// Statements without their terminating ';', trimmed; statements holding only comments and
// white space are dropped. A trigger body (CREATE TRIGGER ... BEGIN ... END) stays whole.
std::vector<std::string> split_statements(const std::string& script, const SplitOptions& options);

// `sql` without trailing ';' and white space: an expression or a single query that a user
// ended like a statement, ready to be embedded in a larger statement.
std::string strip_terminators(std::string sql);

// True when the script holds no statement at all (only white space and comments).
bool is_blank_sql(const std::string& script);

}  // namespace migpkg
