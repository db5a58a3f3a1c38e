#include "compiler/util/process_memory.hpp"

#include <malloc.h>
#include <sys/mman.h>

#include <cstdint>

#include <atomic>
#include <mutex>
#include <vector>

namespace migpkg {
namespace {

std::atomic<bool> release_at_exit{false};

}  // namespace

void keep_freed_memory_for_reuse() {
  constexpr int kOneGigabyte = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kOneGigabyte);
  mallopt(M_TRIM_THRESHOLD, kOneGigabyte);
}

void release_results_at_exit() {
  release_at_exit = true;
}

namespace detail {

bool results_released_at_exit() {
  return release_at_exit;
}

void keep_until_exit(void* object) {
  // Never destroyed (a static's destructor would run at exit, which is what this avoids).
  static std::mutex* mutex = new std::mutex;
  static auto* kept = new std::vector<void*>;
  std::lock_guard<std::mutex> lock(*mutex);
  kept->push_back(object);
}

}  // namespace detail

void reserve_large_text(std::string& text, std::size_t bytes) {
  text.reserve(bytes);
  constexpr std::uintptr_t kHuge = 2u << 20;
  if (text.capacity() < 4 * kHuge) return;
  auto begin = reinterpret_cast<std::uintptr_t>(text.data()) + text.size();
  auto end = reinterpret_cast<std::uintptr_t>(text.data()) + text.capacity();
  begin = (begin + kHuge - 1) & ~(kHuge - 1);
  end &= ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace migpkg
