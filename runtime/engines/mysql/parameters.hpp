#pragma once
// Values for a statement's $1, $2, ... placeholders, put into the SQL text as literals.
//
// Why literals and not server-side prepared statements: a prepared statement's results come
// back in the binary protocol, which the client library formats into text differently from the
// text protocol every other statement uses (floating-point digits, temporal types), so the same
// row would read differently with and without parameters; and a prepared statement holds one
// statement while an unparameterized one may be a script. Literals keep one result path.
// They are exact: valid UTF-8 becomes an escaped string literal ('...', which the server converts
// to the type its context needs, as it converts a prepared statement's string parameter), any
// other byte string a hexadecimal literal X'...', so binary values and NUL bytes survive, no
// value can end its literal early, and the statement text stays valid UTF-8 (it is carried by
// DatabaseError into messages and --json output).
#include <optional>
#include <string>
#include <vector>

namespace migpkg::runtime::mysql {

// `value` as a literal: NULL, '...' or X'...'. `backslash_escapes`: whether the session treats
// '\' in a literal as an escape (false under sql_mode NO_BACKSLASH_ESCAPES).
std::string mysql_literal(const std::optional<std::string>& value, bool backslash_escapes);

// `sql` with every placeholder $N (outside string literals, quoted names and comments) replaced by
// the literal of params[N-1]; a placeholder may repeat. Throws std::invalid_argument when a
// placeholder has no value or a value no placeholder.
std::string bind_parameters(const std::string& sql,
                            const std::vector<std::optional<std::string>>& params,
                            bool backslash_escapes);

}  // namespace migpkg::runtime::mysql
