#pragma once
// A plan step of kind "load" (docs/runtime.md, "Load steps"): the rows of a data file the
// plugin ships in `data/`, written into a table inside the migration's transaction.
#include <string>

#include "compiler/planner/plan.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/executor/step_runner.hpp"

namespace migpkg::runtime {

// The file's bytes read from beside the step's source file (the plugin directory): what a
// load step reads when the migration was compiled from sources. Throws StepFailure.
std::string load_file_beside_sources(const plan::Step& step);

// Reads the file (options.load_file, else beside the sources), refuses it unless its SHA-256
// is the plan's before a row is read, then decodes it with the data-set decoders against the
// portable types (Engine::data_table) of the table's columns the file names, and writes its
// rows with Engine::write_data and the step's conflict mode, in the caller's transaction.
// Failures throw StepFailure naming the file, and the line, table, key and column where a row
// is at fault.
void run_load_step(Connection& connection, const plan::Step& step, const RunOptions& options);

}  // namespace migpkg::runtime
