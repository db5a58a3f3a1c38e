#pragma once
// The package a request is about, as a file the package functions can read: one named in the
// server's --packages directory, or the request body itself. Names are hostile input: a plain
// file name ending in .migpkg (no '/', no leading '.', no NUL), resolved inside the directory and
// checked again after symbolic links are resolved, so neither "../x" nor a link out of the
// directory reaches a file outside it.
#include <string>

namespace httplib {
struct Request;
}

namespace migpkg::serve {

class PackageSource {
 public:
  // Throws cli::UsageError (400) for a bad request, std::runtime_error naming what is missing.
  PackageSource(const httplib::Request& request, const std::string& packages_dir);
  ~PackageSource();  // removes an uploaded copy
  PackageSource(const PackageSource&) = delete;
  PackageSource& operator=(const PackageSource&) = delete;

  const std::string& path() const { return path_; }
  const std::string& display_name() const { return name_; }

 private:
  std::string path_, name_, upload_dir_;
};

// The path of `name` inside `dir`, or an exception saying why not (see above).
std::string resolve_package_name(const std::string& dir, const std::string& name);

}  // namespace migpkg::serve
