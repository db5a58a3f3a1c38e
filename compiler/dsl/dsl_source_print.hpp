#pragma once
// `convert --to dsl` of a DSL file: the canonical form of its IR (dsl_printer) with what the
// IR does not hold put back from the source text: the author's comments, attached to the
// migration, member line, step or column they precede or end; the file's `use` lines and
// `group` declarations, as written; and `use GROUP` in place of the columns a group gave a
// table. Parsing the output gives the same IR as parsing the source.
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace migpkg::dsl {

// `migrations` are what the DSL front end read from `source` (the file's text).
std::string print_dsl_keeping_source(const std::vector<ir::Migration>& migrations,
                                     const std::string& source);

}  // namespace migpkg::dsl
