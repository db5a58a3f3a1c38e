#pragma once
// The pre-check the planner puts before a narrowing type change (compiler/schema/narrowing.hpp):
// one query, valid on every dialect (no boolean in a select list, which SQL Server and Oracle
// refuse), that returns one row: 1 when every stored value fits the new type (else 0), how many
// rows do not, and what the largest misfits look like, which the runtime puts in the message.
#include "compiler/dialects/dialect.hpp"
#include "compiler/planner/plan.hpp"
#include "compiler/schema/narrowing.hpp"

namespace migpkg {

plan::Check narrowing_check(const schema::Narrowing& narrowing, const Dialect& dialect);

}  // namespace migpkg
