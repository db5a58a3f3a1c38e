#pragma once
// The primary keys a load step's data file holds, read when the compiler derives the step's
// unload (compiler/schema/replay.cpp): the rollback deletes exactly these keys, and it runs from
// the stored plan without the file, so the keys are compiled into the plan.
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/ir/ir.hpp"

namespace migpkg {

// One literal per key column for every row of `load.content`, in file order. The file is read
// as the load step reads it at run time (the data-set decoders of runtime/data, on the columns
// of `table_columns` its first record names), so every value is checked against its declared
// type. Integer key columns become integer literals, text and uuid ones strings (in the
// portable form: uuids in lower case); a key of another type, a missing or NULL key value, a
// key given twice or a value the decoders refuse is an error naming the file (load.path) and
// line.
std::vector<std::vector<ir::Literal>> file_keys(const ir::Load& load,
                                                const std::vector<ir::Column>& table_columns,
                                                const std::vector<const ir::Column*>& key_columns,
                                                Diagnostics& diagnostics);

}  // namespace migpkg
