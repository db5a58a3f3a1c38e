#include "cli/output.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "compiler/diagnostics/render.hpp"

namespace migpkg::cli {
void print_diagnostics(const Diagnostics& diagnostics) {
  for (const auto& d : diagnostics.items()) std::cerr << render_diagnostic(d);
  std::size_t errors = diagnostics.error_count(), warnings = diagnostics.warning_count();
  if (errors || warnings)
    std::cerr << errors << " error" << (errors == 1 ? "" : "s") << ", " << warnings << " warning"
              << (warnings == 1 ? "" : "s") << "\n";
}

bool stop_on_errors(const Diagnostics& diagnostics, bool json) {
  if (!diagnostics.has_errors()) {
    if (!json) print_diagnostics(diagnostics);
    return false;
  }
  if (json)
    std::cout << diagnostics_json(diagnostics).dump(2) << "\n";
  else
    print_diagnostics(diagnostics);
  return true;
}

void write_output(const std::string& path, const std::string& content) {
  if (path == "-") {
    std::cout << content << std::flush;
    return;
  }
  // A regular file (or a new one) is replaced whole: written beside it, then renamed over it,
  // so a reader never sees half of it. Anything else that exists -- /dev/null, a FIFO, a
  // terminal -- is written into: renaming over it would replace the device or pipe with a
  // file (as root, `-o /dev/null` would have turned /dev/null into one). A symbolic link is
  // followed, and the file it names is the one replaced.
  std::string target = path;
  if (char* resolved = realpath(path.c_str(), nullptr)) {  // fails for a new file: kept as given
    target = resolved;
    std::free(resolved);
  }
  auto write_into = [&content](const std::string& file) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    return out && (out << content) && out.flush();
  };
  struct stat info {};
  if (stat(target.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    if (!write_into(target)) throw std::runtime_error("cannot write " + path);
    return;
  }
  std::string temporary = target + ".tmp-" + std::to_string(getpid());
  if (!write_into(temporary) || std::rename(temporary.c_str(), target.c_str()) != 0) {
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot write " + path);
  }
}

bool stderr_is_terminal() {
  return isatty(STDERR_FILENO) == 1;
}

}  // namespace migpkg::cli
