#pragma once
// The draft Engine interface (runtime/engines/engine.hpp) as this folder compiles against it
// before the seam work lands. The draft declares its own ScratchDatabase, which still clashes
// with the PostgreSQL-only class of that name in drivers/connection.hpp; that older class is
// renamed out of the way here, for the translation units of this folder and its tests only.
// Once connection.hpp no longer declares ScratchDatabase (and the draft names no unused
// parameters), this file is just the include of engine.hpp.
// Every header of this folder includes this one first, before anything that includes
// connection.hpp.
#define ScratchDatabase PostgresqlOnlyScratchDatabase
#include "runtime/drivers/connection.hpp"
#undef ScratchDatabase

// The draft's default implementations leave parameters unnamed-but-unused (-Wunused-parameter).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "runtime/engines/engine.hpp"
#pragma GCC diagnostic pop
