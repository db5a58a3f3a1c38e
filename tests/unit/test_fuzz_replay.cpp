// The fuzz targets (tests/fuzz/) in the suite: each replays its seed corpus (built by
// scripts/fuzz-seeds.sh from the test data, with this build's migpkg), every regression input
// committed under tests/fuzz/regressions/<target>/, and a fixed number of mutations of the seeds
// (the same kinds of change libFuzzer makes: bit flips, interesting bytes, deletions, insertions,
// duplicated ranges, truncation, splices of two seeds) from a fixed PRNG seed, so every run
// feeds the same inputs. A target that throws anything but its documented refusal, or crashes,
// fails the test; under MIGPKG_SANITIZE=ON, ASan and UBSan check the same inputs. The long
// libFuzzer runs are scripts/fuzz.sh (docs/testing.md, "Fuzzing").
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <random>

#include "fuzz/fuzz_targets.hpp"
#include "unit/test_support.hpp"

namespace {

using migpkg::test::list_dir;
using migpkg::test::path_exists;
using migpkg::test::read_file;
using migpkg::test::shell;
using migpkg::test::shell_quoted;
using migpkg::test::source_dir;

// Mutations per target in the suite; MIGPKG_FUZZ_MUTATIONS=N changes it for a longer replay.
std::size_t mutation_count() {
  const char* text = std::getenv("MIGPKG_FUZZ_MUTATIONS");
  return text ? static_cast<std::size_t>(std::strtoull(text, nullptr, 10)) : 3000;
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> contents;
  if (!path_exists(dir)) return contents;
  for (const auto& name : list_dir(dir)) contents.push_back(read_file(dir + "/" + name));
  return contents;
}

class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : random_(seed) {}

  std::string mutate(std::string input, const std::vector<std::string>& others) {
    std::size_t changes = 1 + below(4);
    for (std::size_t i = 0; i < changes; ++i) input = change(std::move(input), others);
    return input;
  }

 private:
  std::size_t below(std::size_t n) { return n == 0 ? 0 : random_() % n; }

  std::string change(std::string s, const std::vector<std::string>& others) {
    static const char kInteresting[] = {'\0', '\xff', '\x7f', '\x80', '"', '\n', '\r', '{',  '}',
                                        '[',  ',',    ':',    '\\',   '-', '9',  ' ',  '\t', '/'};
    switch (below(8)) {
      case 0:  // flip a bit
        if (!s.empty()) s[below(s.size())] ^= static_cast<char>(1u << below(8));
        break;
      case 1:  // an interesting byte
        if (!s.empty()) s[below(s.size())] = kInteresting[below(sizeof kInteresting)];
        break;
      case 2:  // delete a range
        if (!s.empty()) {
          std::size_t at = below(s.size());
          s.erase(at, 1 + below(std::min<std::size_t>(64, s.size() - at)));
        }
        break;
      case 3: {  // insert random bytes
        std::string bytes(1 + below(16), '\0');
        for (auto& c : bytes) c = static_cast<char>(below(256));
        s.insert(below(s.size() + 1), bytes);
        break;
      }
      case 4:  // duplicate a range
        if (!s.empty()) {
          std::size_t at = below(s.size());
          std::string range = s.substr(at, 1 + below(128));
          s.insert(below(s.size() + 1), range);
        }
        break;
      case 5:  // truncate
        s.resize(below(s.size() + 1));
        break;
      case 6:  // splice: this input's start, another's end
        if (!others.empty()) {
          const std::string& other = others[below(others.size())];
          s = s.substr(0, below(s.size() + 1)) + other.substr(below(other.size() + 1));
        }
        break;
      default:  // overwrite a few bytes with the same bytes from elsewhere in the input
        if (s.size() > 8) {
          std::size_t from = below(s.size() - 4), to = below(s.size() - 4);
          s.replace(to, 4, s.substr(from, 4));
        }
        break;
    }
    return s;
  }

  std::mt19937 random_;
};

// An input that fails is kept in /tmp, ready to go under tests/fuzz/regressions/<target>/.
void run(const migpkg::fuzz::Target& target, const std::string& input, const std::string& label) {
  try {
    target.run(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  } catch (...) {
    std::string kept = "/tmp/migpkg-fuzz-failure-" + std::string(target.name) + "-" + label;
    std::ofstream(kept, std::ios::binary) << input;
    FAIL_CHECK("input kept in " << kept);
    throw;
  }
}

void replay(const std::string& name) {
  const migpkg::fuzz::Target* target = nullptr;
  for (const auto& t : migpkg::fuzz::all_targets())
    if (name == t.name) target = &t;
  REQUIRE(target != nullptr);

  std::string corpus = migpkg::test::make_temp_dir();
  REQUIRE(shell("MIGPKG=" + shell_quoted(MIGPKG_BINARY) + " bash " +
                shell_quoted(source_dir() + "/scripts/fuzz-seeds.sh") + " " + shell_quoted(corpus) +
                " " + name + " 2>/dev/null") == 0);
  std::vector<std::string> seeds = files_in(corpus + "/" + name);
  REQUIRE(seeds.size() >= 6);

  std::vector<std::string> regressions = files_in(source_dir() + "/tests/fuzz/regressions/" + name);
  for (std::size_t i = 0; i < regressions.size(); ++i)
    run(*target, regressions[i], "regression-" + std::to_string(i));
  for (std::size_t i = 0; i < seeds.size(); ++i)
    run(*target, seeds[i], "seed-" + std::to_string(i));

  Mutator mutator(20261206);
  std::size_t count = mutation_count();
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& seed = seeds[i % seeds.size()];
    std::string input = mutator.mutate(seed, seeds);
    run(*target, input, "mutation-" + std::to_string(i));
  }
}

}  // namespace

// One test case per target, so that ctest runs them side by side.
TEST_CASE("fuzz replay: dsl_parser", "[fuzz]") {
  replay("dsl_parser");
}
TEST_CASE("fuzz replay: json_loader", "[fuzz]") {
  replay("json_loader");
}
TEST_CASE("fuzz replay: package_reader", "[fuzz]") {
  replay("package_reader");
}
TEST_CASE("fuzz replay: dataset_reader", "[fuzz]") {
  replay("dataset_reader");
}
TEST_CASE("fuzz replay: age_decoder", "[fuzz]") {
  replay("age_decoder");
}
