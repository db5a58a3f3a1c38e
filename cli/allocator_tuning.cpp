#include "cli/allocator_tuning.hpp"

#include <sys/types.h>

#include <cstddef>
#include <string>

// jemalloc's control interface, when jemalloc is the allocator linked in; weak, so that a
// build with the system allocator links and sees a null function.
extern "C" int mallctl(const char* name, void* old_value, std::size_t* old_size, void* new_value,
                       std::size_t new_size) __attribute__((weak));

namespace migpkg::cli {

bool return_freed_memory_within(long milliseconds) {
  if (!mallctl) return false;
  ssize_t value = milliseconds;
  // The arenas made later take "arenas.dirty_decay_ms"; each existing one its own setting.
  bool applied = mallctl("arenas.dirty_decay_ms", nullptr, nullptr, &value, sizeof value) == 0;
  unsigned arenas = 0;
  std::size_t size = sizeof arenas;
  if (mallctl("arenas.narenas", &arenas, &size, nullptr, 0) != 0) return false;
  for (unsigned i = 0; i < arenas; ++i) {
    const std::string name = "arena." + std::to_string(i) + ".dirty_decay_ms";
    // An arena not made yet refuses the setting; it takes the default set above when it is.
    mallctl(name.c_str(), nullptr, nullptr, &value, sizeof value);
  }
  return applied;
}

}  // namespace migpkg::cli
