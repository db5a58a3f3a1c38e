#pragma once
// How a migpkg process uses memory (called first thing by the migpkg command and the benchmark
// drivers, which must run as migpkg does).
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

namespace migpkg {

// Matters where glibc's malloc is the allocator (sanitizer builds, -DMIGPKG_ALLOCATOR=system;
// jemalloc, which the executables link by default, keeps freed pages for reuse anyway): glibc
// hands blocks over 128 KB to mmap and gives free memory at the top of the heap back to
// the kernel beyond 128 KB; both are faulted in again, page by page, when used next. A run
// allocates and frees such blocks all the time (SQLite's page cache, statement texts, stored
// plans; a pack's plans and SQL, tens of MB each), and on a virtual machine a page fault costs
// microseconds: a rollback of 500 migrations took 5,100 faults, twice what it needs, and
// compiling 10,000 migrations to five dialects 400,000. migpkg is a short-lived process, so it
// keeps what it has allocated, up to 1 GB per block and 1 GB of free heap, for reuse until it
// exits. Peak memory is unchanged: this only stops giving memory back early.
void keep_freed_memory_for_reuse();

// For a process that ends soon after its work (the migpkg command): results that are done with
// and big are then left for the operating system to reclaim at exit instead of being freed
// piece by piece (what clang's -disable-free and LLVM's BuryPointer do). Freeing the IR of
// 10,000 migrations is millions of small frees; the exit takes back all of them at once. Without
// this call (a program that embeds libmigpkg and lives on), release() frees at once.
void release_results_at_exit();

namespace detail {
bool results_released_at_exit();
void keep_until_exit(void* object);  // reachable from a static list, so not a leak to LSan
}  // namespace detail

// Done with `object`: destroyed now, or, after release_results_at_exit(), moved into storage
// that lives until the process exits. Either way the caller's object is left empty.
template <typename T>
void release(T&& object) {
  using Value = std::decay_t<T>;
  if (detail::results_released_at_exit()) {
    detail::keep_until_exit(new Value(std::move(object)));
  } else {
    Value destroyed_here(std::move(object));
  }
}

// Reserves `bytes` for `text` and, when that is a large block (8 MB or more), asks the kernel to
// back the part not written yet with transparent huge pages (madvise MADV_HUGEPAGE; a hint, which
// a kernel without them, or with them off, ignores). The plan texts of a big package are
// hundreds of MB, written once from start to end: one fault per 2 MB instead of one per 4 KB
// (Debian's default THP mode, "madvise", applies it to exactly these blocks; the measurements
// are in docs/architecture.md, "Plans are streamed").
void reserve_large_text(std::string& text, std::size_t bytes);

}  // namespace migpkg
