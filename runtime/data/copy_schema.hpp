#pragma once
// `copy --create`: a source catalog's column defaults and CHECK constraints
// (Engine::schema_extras, as the source spells them) turned into the schema model's portable
// forms, which the compiler then writes for the target's dialect. Nothing is copied word for
// word: `datetime('now')`, `now()` and `CURRENT_TIMESTAMP(6)` are all the model's now(), and a
// default or check that has no portable meaning is left out, with a note saying so.
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/ir/schema_change.hpp"

namespace migpkg::data {

// The default `text` (as `source`'s catalog prints it) of a column of `type`: a literal of the
// column's type, now() (a timestamp column) or uuid() (a uuid column). nullopt with `why` set
// when it is none of those (an expression, a sequence, a value the type does not hold); nullopt
// with `why` empty when the text means no default (NULL).
std::optional<ir::ColumnDefault> portable_default(ir::Engine source, const std::string& text,
                                                  const ir::ColumnType& type, std::string& why);

// A CHECK expression of the source over `columns`, spelled so that every dialect reads it: the
// columns bare (the compiler quotes them), literals, comparisons, arithmetic, AND / OR / NOT,
// IN, IS [NOT] NULL, BETWEEN and LIKE; PostgreSQL's casts dropped. nullopt with `why` set when
// it uses anything else (a function, an array, a name that is no column).
std::optional<std::string> portable_check(const std::string& text,
                                          const std::vector<std::string>& columns,
                                          std::vector<std::string>& referenced, std::string& why);

}  // namespace migpkg::data
