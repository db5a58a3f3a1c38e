#pragma once
// How a migpkg process uses memory (called first thing by the migpkg command and the benchmark
// drivers, which must run as migpkg does).

namespace migpkg {

// glibc hands blocks over 128 KB to mmap and gives free memory at the top of the heap back to
// the kernel beyond 128 KB; both are faulted in again, page by page, when used next. A run
// allocates and frees such blocks all the time (SQLite's page cache, statement texts, stored
// plans; a pack's plans and SQL, tens of MB each), and on a virtual machine a page fault costs
// microseconds: a rollback of 500 migrations took 5,100 faults, twice what it needs, and
// compiling 10,000 migrations to five dialects 400,000. migpkg is a short-lived process, so it
// keeps what it has allocated, up to 1 GB per block and 1 GB of free heap, for reuse until it
// exits. Peak memory is unchanged: this only stops giving memory back early.
void keep_freed_memory_for_reuse();

}  // namespace migpkg
