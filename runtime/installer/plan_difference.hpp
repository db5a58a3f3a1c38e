#pragma once
// What separates two plans of one migration, in what they run (white space outside quotes
// aside): the statements of each step, its checks, its reverse, a transform's insert and a load's
// file. Names and descriptions are not compared (they run nothing). `migpkg repair
// --update-checksums` shows these lines before it rewrites a stored checksum, and refuses without
// --yes when there are any.
#include <string>
#include <vector>

#include "compiler/planner/plan.hpp"

namespace migpkg::runtime {

// One line per difference, "up step add-sku, statement 1: stored `...`; the sources give `...`";
// empty when both run the same SQL.
std::vector<std::string> plan_differences(const plan::Migration& stored,
                                          const plan::Migration& sources);

}  // namespace migpkg::runtime
