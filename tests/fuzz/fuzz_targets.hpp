#pragma once
// The fuzz targets: each takes arbitrary bytes and runs one reader of untrusted input on them.
// A target returns normally when the reader accepts or refuses the input the way it documents
// (a diagnostic, or its own refusal exception); anything else (another exception, a crash, a
// sanitizer report) is a finding. The same functions are linked into the libFuzzer executables
// (scripts/fuzz.sh, MIGPKG_FUZZ=ON) and into the Catch2 suite, which replays the seed corpus, the
// committed regressions and mutations of them (tests/unit/test_fuzz_replay.cpp).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace migpkg::fuzz {

using TargetFunction = void (*)(const std::uint8_t* data, std::size_t size);

struct Target {
  const char* name;  // tests/fuzz/regressions/<name>/, scripts/fuzz.sh TARGET
  TargetFunction run;
};

void fuzz_dsl_parser(const std::uint8_t* data, std::size_t size);
void fuzz_json_loader(const std::uint8_t* data, std::size_t size);
void fuzz_package_reader(const std::uint8_t* data, std::size_t size);
void fuzz_dataset_reader(const std::uint8_t* data, std::size_t size);
void fuzz_age_decoder(const std::uint8_t* data, std::size_t size);

const std::vector<Target>& all_targets();

}  // namespace migpkg::fuzz
