// serve: runs migpkg-serve, the HTTP server (serve/, docs/serve.md). It is its own executable so
// that cpp-httplib's libraries (shared OpenSSL, zlib, brotli) are mapped by `serve` alone, never
// at the start-up of the other commands (docs/architecture.md, "Start-up").
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace migpkg::cli {
namespace {

std::string executable_directory() {
  char buffer[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return ".";
  std::string path(buffer, static_cast<std::size_t>(n));
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

int run_serve(const Arguments& args) {
  // Where it is looked for, as the engine modules are (runtime/engines/engine_module.hpp):
  // $MIGPKG_SERVE_BINARY, next to migpkg (the build tree), ../lib/migpkg/ (installed).
  std::vector<std::string> candidates;
  if (const char* set = std::getenv("MIGPKG_SERVE_BINARY"); set && *set) {
    candidates.push_back(set);
  } else {
    const std::string dir = executable_directory();
    candidates = {dir + "/migpkg-serve", dir + "/../lib/migpkg/migpkg-serve"};
  }
  std::vector<std::string> words = {"migpkg-serve", "serve"};
  words.insert(words.end(), args.words().begin(), args.words().end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  std::string tried;
  for (const auto& path : candidates) {
    ::execv(path.c_str(), argv.data());
    tried += "\n  " + path + ": " + std::strerror(errno);
  }
  std::cerr << "migpkg serve: error: the server executable migpkg-serve was not found:" << tried
            << "\n";
  return kFailed;
}

}  // namespace migpkg::cli
