#include "runtime/package/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "runtime/package/package_error.hpp"

namespace migpkg::package {
namespace {

std::string directory_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

bool write_all(int fd, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void write_file_atomically(const std::string& path, const std::string& content, mode_t mode) {
  std::string temporary = path + ".tmp-" + std::to_string(getpid());
  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("cannot create " + temporary + ": " + std::strerror(errno));
  bool ok = fchmod(fd, mode) == 0 && write_all(fd, content);
  ok = fsync(fd) == 0 && ok;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(temporary.c_str(), path.c_str()) != 0) {
    int saved = errno;
    unlink(temporary.c_str());
    throw std::runtime_error("cannot write " + path + ": " + std::strerror(saved));
  }
  // The rename is durable only once the directory entry is on disk.
  int dir = open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
}

std::string read_bounded_file(const std::string& path, std::size_t max_bytes,
                              const std::string& what) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) refuse(what + " " + path + ": cannot read (" + std::strerror(errno) + ")");
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    refuse(what + " " + path + ": not a regular file");
  }
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes) {
    close(fd);
    refuse(what + " " + path + ": " + std::to_string(info.st_size) + " bytes, above the limit of " +
           std::to_string(max_bytes));
  }
  std::string out;
  char buffer[65536];
  for (;;) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      refuse(what + " " + path + ": cannot read");
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
    // The file may grow after fstat: the bound holds for what is read.
    if (out.size() > max_bytes) {
      close(fd);
      refuse(what + " " + path + ": above the limit of " + std::to_string(max_bytes) + " bytes");
    }
  }
  close(fd);
  return out;
}

}  // namespace migpkg::package
