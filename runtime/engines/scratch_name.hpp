#pragma once
// The unique part of a scratch database's name (engine.hpp, ScratchDatabase), shared by the
// server engines; header-only so that module engines need no libmigpkg code for it.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>
#include <string>

namespace migpkg::runtime {

// Unique across processes (pid), runs (time), calls (counter) and, for good measure, chance.
inline std::string unique_scratch_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device entropy;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(getpid()) + "_" +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) + "_" +
         std::to_string(++counter) + "_" + std::to_string(entropy() % 100000);
}

}  // namespace migpkg::runtime
