#include "compiler/util/process_memory.hpp"

#include <malloc.h>

namespace migpkg {

void keep_freed_memory_for_reuse() {
  constexpr int kOneGigabyte = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kOneGigabyte);
  mallopt(M_TRIM_THRESHOLD, kOneGigabyte);
}

}  // namespace migpkg
