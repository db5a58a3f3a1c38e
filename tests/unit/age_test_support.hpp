#pragma once
// What the age tests share: Debian's `age` driven through a pseudo-terminal (it reads a
// passphrase only from a terminal), and age files changed on purpose.
#include <string>
#include <vector>

namespace migpkg::test {

struct PtyResult {
  int exit_code = -1;
  std::string output;  // what the program wrote to the terminal
  int prompts = 0;     // passphrase prompts answered
};

// Runs `argv` on a new pseudo-terminal, answering each passphrase prompt with `passphrase`.
PtyResult run_with_passphrase(const std::vector<std::string>& argv, const std::string& passphrase);

// The index of the first byte after the header's MAC line.
std::size_t age_header_end(const std::string& file);
// The file with the byte at `at` XOR 0x01.
std::string flip_byte(std::string file, std::size_t at);
// The file with its stanza lines replaced by `stanzas` (lines, each ending in '\n'); the MAC
// line and payload kept (the MAC no longer matches, which only matters once a stanza opens).
std::string with_stanzas(const std::string& file, const std::string& stanzas);

}  // namespace migpkg::test
