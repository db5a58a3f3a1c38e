#pragma once
// The primary keys a load step's data file holds, read when the compiler derives the step's
// unload (compiler/schema/replay.cpp): the rollback deletes exactly these keys, and it runs from
// the stored plan without the file, so the keys are compiled into the plan.
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg {

// One literal per key column for every row of `load.content`, in file order. NDJSON: each line
// an object holding the key columns; CSV: a header line naming them, an unquoted empty field
// being NULL. Integer key columns become integer literals, text and uuid ones strings (uuids
// in lower case); a key of another type, a missing or NULL key value, or a key given twice is
// an error naming the file (load.path) and line.
std::vector<std::vector<ir::Literal>> file_keys(const ir::Load& load,
                                                const std::vector<const ir::Column*>& key_columns,
                                                Diagnostics& diagnostics);

}  // namespace migpkg
