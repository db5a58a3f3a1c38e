// libFuzzer's entry point for one target, chosen at compile time (tests/fuzz/CMakeLists.txt
// compiles this file once per target with MIGPKG_FUZZ_FUNCTION set).
#include "fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  migpkg::fuzz::MIGPKG_FUZZ_FUNCTION(data, size);
  return 0;
}
