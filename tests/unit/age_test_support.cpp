#include "unit/age_test_support.hpp"

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>

namespace migpkg::test {

PtyResult run_with_passphrase(const std::vector<std::string>& argv, const std::string& passphrase) {
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) throw std::runtime_error("forkpty failed");
  if (pid == 0) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  PtyResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::size_t answered_up_to = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buffer[4096];
    const ssize_t got = read(master, buffer, sizeof buffer);
    if (got <= 0) break;  // EIO: the child closed the terminal
    result.output.append(buffer, static_cast<std::size_t>(got));
    // Answer every prompt ("Enter passphrase...:", "Confirm passphrase:") not yet answered.
    for (std::size_t at;
         (at = result.output.find("assphrase", answered_up_to)) != std::string::npos;) {
      const std::size_t colon = result.output.find(':', at);
      if (colon == std::string::npos) break;
      answered_up_to = colon + 1;
      const std::string line = passphrase + "\r";
      if (write(master, line.data(), line.size()) < 0) break;
      ++result.prompts;
    }
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::size_t age_header_end(const std::string& file) {
  const std::size_t mac = file.find("\n--- ");
  if (mac == std::string::npos) throw std::runtime_error("no MAC line");
  return file.find('\n', mac + 1) + 1;
}

std::string flip_byte(std::string file, std::size_t at) {
  file.at(at) = static_cast<char>(file.at(at) ^ 0x01);
  return file;
}

std::string with_stanzas(const std::string& file, const std::string& stanzas) {
  const std::size_t first = file.find('\n') + 1;
  const std::size_t mac = file.find("\n--- ") + 1;
  return file.substr(0, first) + stanzas + file.substr(mac);
}

}  // namespace migpkg::test
