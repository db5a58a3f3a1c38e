#include "runtime/data/staging_lock.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace migpkg::data {
namespace {

constexpr const char* kMarker = ".partial-";
constexpr std::size_t kSuffixChars = 6;  // mkdtemp's XXXXXX

std::string parent_of(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  return path.substr(path.find_last_of('/') + 1);
}

// Whether the staging directory `dir` is held by a live writer. A directory that cannot be
// opened (gone meanwhile, not ours to read) counts as held: it is left alone.
bool held(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno != ENOENT;
  bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return locked;
}

}  // namespace

LockedStaging create_locked_staging(const std::string& path) {
  std::string pattern = parent_of(path) + "/." + base_of(path) + kMarker + "XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw std::runtime_error("cannot create a directory beside " + path + ": " +
                             std::strerror(errno));
  LockedStaging staging{pattern, ::open(pattern.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (staging.lock_fd < 0 || ::flock(staging.lock_fd, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    if (staging.lock_fd >= 0) ::close(staging.lock_fd);
    ::rmdir(pattern.c_str());
    throw std::runtime_error("cannot lock " + pattern + ": " + std::strerror(error));
  }
  return staging;
}

int remove_stale_staging(const std::string& path) {
  const std::string dir = parent_of(path);
  const std::string prefix = "." + base_of(path) + kMarker;
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name.compare(0, prefix.size(), prefix) != 0) continue;
      std::string suffix = name.substr(prefix.size());
      if (suffix.size() == kSuffixChars ||
          (suffix.size() == kSuffixChars + 4 && suffix.compare(kSuffixChars, 4, ".tar") == 0))
        names.push_back(name);
    }
    ::closedir(d);
  }
  int removed = 0;
  for (const std::string& name : names) {
    const std::string full = dir + "/" + name;
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0) continue;
    if (name.size() == prefix.size() + kSuffixChars) {
      if (!S_ISDIR(st.st_mode) || held(full)) continue;
      remove_staging(full);
      ++removed;
    } else {
      // A .tar is built while its staging directory is still there and locked.
      if (!S_ISREG(st.st_mode) || held(full.substr(0, full.size() - 4))) continue;
      ::unlink(full.c_str());
      ++removed;
    }
  }
  return removed;
}

// A directory's entries, no recursion: a staging directory holds only plain files.
void remove_staging(const std::string& dir) {
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
        ::unlink((dir + "/" + e->d_name).c_str());
    ::closedir(d);
  }
  ::rmdir(dir.c_str());
}

}  // namespace migpkg::data
