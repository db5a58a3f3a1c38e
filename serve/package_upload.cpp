#include "serve/package_upload.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "compiler/diagnostics/diagnostic.hpp"
#include "runtime/package/atomic_file.hpp"
#include "runtime/package/package_loader.hpp"

namespace migpkg::serve {
namespace {

const std::string kPrefix = "upload-";
const std::string kSuffix = ".migpkg";

}  // namespace

package::TrustStore server_trust(const std::string& trust_option) {
  return package::TrustStore::load(package::trust_location(
      trust_option.empty() ? std::nullopt : std::optional<std::string>(trust_option)));
}

std::string uploads_directory(const std::string& operations_file) {
  auto slash = operations_file.rfind('/');
  return (slash == std::string::npos ? std::string(".") : operations_file.substr(0, slash)) +
         "/uploads";
}

void prepare_uploads_directory(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw std::runtime_error("cannot make the uploads directory " + dir);
  struct stat st {};
  // Not a link, and the server's own: the uploads are read back from here.
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid())
    throw std::runtime_error("the uploads directory " + dir +
                             " is not a directory of this user (a link, or someone else's)");
  if ((st.st_mode & 077) != 0) ::chmod(dir.c_str(), 0700);
  DIR* listing = ::opendir(dir.c_str());
  if (!listing) return;
  while (const dirent* entry = ::readdir(listing)) {
    const std::string name = entry->d_name;
    if (name.rfind(kPrefix, 0) == 0 && name.size() > kSuffix.size() &&
        name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0)
      ::unlink((dir + "/" + name).c_str());
  }
  ::closedir(listing);
}

UploadedPackage::UploadedPackage(const std::string& bytes, const std::string& uploads_dir,
                                 const package::TrustStore& trust) {
  Diagnostics diagnostics;
  package::load_package_bytes(bytes, "the uploaded package", trust, diagnostics);
  std::string pattern = uploads_dir + "/" + kPrefix + "XXXXXX" + kSuffix;
  const int fd = ::mkstemps(pattern.data(), static_cast<int>(kSuffix.size()));
  if (fd < 0) throw std::runtime_error("cannot make a file in " + uploads_dir);
  path_ = pattern;
  const bool written = package::write_all(fd, bytes) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(path_.c_str());
    throw std::runtime_error("cannot write the uploaded package to " + path_);
  }
}

UploadedPackage::~UploadedPackage() {
  ::unlink(path_.c_str());
}

}  // namespace migpkg::serve
