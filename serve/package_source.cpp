#include "serve/package_source.hpp"

#include <httplib.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/arguments.hpp"
#include "runtime/package/atomic_file.hpp"

namespace migpkg::serve {
namespace {

bool plain_package_name(const std::string& name) {
  if (name.empty() || name.size() > 255 || name[0] == '.') return false;
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
      name.find('\0') != std::string::npos)
    return false;
  const std::string suffix = ".migpkg";
  return name.size() > suffix.size() &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string real_path(const std::string& path) {
  char buffer[PATH_MAX];
  if (!::realpath(path.c_str(), buffer)) return "";
  return buffer;
}

}  // namespace

std::string resolve_package_name(const std::string& dir, const std::string& name) {
  if (dir.empty())
    throw cli::UsageError(
        "no package directory: start the server with --packages DIR to name "
        "packages, or send the package as the body");
  if (!plain_package_name(name))
    throw cli::UsageError("'" + name +
                          "' is not a package name: a plain file name ending in .migpkg, "
                          "without '/' or a leading '.'");
  const std::string root = real_path(dir);
  if (root.empty()) throw std::runtime_error("the package directory " + dir + " is not there");
  const std::string resolved = real_path(root + "/" + name);
  if (resolved.empty()) throw cli::UsageError("no package '" + name + "' in the package directory");
  if (resolved.compare(0, root.size() + 1, root + "/") != 0)
    throw cli::UsageError("'" + name + "' leads out of the package directory");
  struct stat st {};
  if (::stat(resolved.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw cli::UsageError("'" + name + "' is not a regular file");
  return resolved;
}

PackageSource::PackageSource(const httplib::Request& request, const std::string& packages_dir) {
  const std::string type = request.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) == 0) {
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
      throw cli::UsageError("the body is not a JSON object");
    auto name = body.find("package");
    if (name == body.end() || !name->is_string())
      throw cli::UsageError("/package: expected the name of a package in the package directory");
    name_ = name->get<std::string>();
    path_ = resolve_package_name(packages_dir, name_);
    return;
  }
  if (type.rfind("application/octet-stream", 0) != 0)
    throw cli::UsageError(
        "send the package as application/octet-stream, or {\"package\": NAME} as "
        "application/json");
  if (request.body.empty()) throw cli::UsageError("the body is empty: expected a .migpkg package");
  // A private directory of its own (0700): the upload is read from there and removed after.
  std::string pattern =
      std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/migpkg-serve-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot make a temporary directory");
  upload_dir_ = pattern;
  name_ = "upload.migpkg";
  path_ = upload_dir_ + "/" + name_;
  package::write_file_atomically(path_, request.body, 0600);
}

PackageSource::~PackageSource() {
  if (upload_dir_.empty()) return;
  ::unlink(path_.c_str());
  ::rmdir(upload_dir_.c_str());
}

}  // namespace migpkg::serve
