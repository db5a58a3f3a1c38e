#include "serve/named_file.hpp"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>
#include <stdexcept>

#include "cli/arguments.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::serve {
namespace {

std::string real_path(const std::string& path) {
  char buffer[PATH_MAX];
  if (!::realpath(path.c_str(), buffer)) return "";
  return buffer;
}

}  // namespace

std::string plain_name_problem(const std::string& name) {
  if (name.empty()) return "an empty name";
  if (name.size() > 255) return "longer than 255 bytes";
  if (name[0] == '.') return "starts with '.'";
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
    return "holds '/' or '\\'";
  if (name.find('\0') != std::string::npos) return "holds a NUL byte";
  return "";
}

std::string path_in_directory(const std::string& dir, const std::string& option,
                              const std::string& name, const std::string& what,
                              Existence existence) {
  if (dir.empty())
    throw cli::UsageError("the server has no directory for " + what + "s: start it with " + option +
                          " DIR");
  if (const std::string problem = plain_name_problem(name); !problem.empty())
    throw cli::UsageError("'" + name + "' is not a plain file name (" + problem + "): " + what +
                          "s are named inside the server's " + option + " directory");
  const std::string root = real_path(dir);
  if (root.empty())
    throw std::runtime_error("the directory " + dir + " (" + option + ") is not there");
  const std::string joined = root + "/" + name;
  struct stat link {};
  if (::lstat(joined.c_str(), &link) != 0) {
    if (errno != ENOENT) throw std::runtime_error("cannot look at " + joined);
    if (existence == Existence::must_exist)
      throw cli::UsageError("no " + what + " '" + name + "' in the " + option + " directory");
    return joined;
  }
  if (existence == Existence::must_not_exist)
    throw cli::UsageError("the " + what + " '" + name + "' is already in the " + option +
                          " directory: name a new one");
  const std::string resolved = real_path(joined);
  if (resolved.empty() || resolved.compare(0, root.size() + 1, root + "/") != 0)
    throw cli::UsageError("'" + name + "' leads out of the " + option + " directory");
  struct stat st {};
  if (::stat(resolved.c_str(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
    throw cli::UsageError("'" + name + "' is neither a file nor a directory");
  return resolved;
}

std::string request_database_url(const std::string& url, const std::string& data_dir,
                                 Existence existence) {
  const std::string sqlite = "sqlite:";
  if (url.rfind(sqlite, 0) == 0)
    return sqlite + path_in_directory(data_dir, "--data-dir", url.substr(sqlite.size()),
                                      "SQLite database", existence);
  try {
    runtime::DatabaseUrl::parse(url);
  } catch (const std::invalid_argument& e) {
    throw cli::UsageError(e.what());
  }
  return url;
}

}  // namespace migpkg::serve
