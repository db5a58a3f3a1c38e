#pragma once
// How the executable's allocator gives freed memory back while a long data command runs
// (CMakeLists.txt, "The executables' allocator").

namespace migpkg::cli {

// Makes jemalloc return freed pages to the system within `milliseconds` instead of its default
// ten seconds. import and copy free one batch's values and buffers before the next batch needs
// as much again, but not always in the same places: with the default, the pages freed in the
// last ten seconds stay counted in the process, so its peak memory grew with the rows copied
// (bench/README.md, "Data"). Does nothing with the system allocator (sanitizer builds,
// -DMIGPKG_ALLOCATOR=system). Returns whether the setting was applied.
bool return_freed_memory_within(long milliseconds);

}  // namespace migpkg::cli
