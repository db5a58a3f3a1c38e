#include "compiler/util/file_text.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace migpkg {
namespace {

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

FileText read_file_text(const std::string& path, std::size_t max_bytes) {
  FileText out;
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused as not regular).
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  struct stat info {};
  if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    out.error = fd.get() < 0 && errno != ENOENT && errno != ENOTDIR ? FileTextError::Unreadable
                                                                    : FileTextError::NotRegular;
    return out;
  }
  out.size = static_cast<std::size_t>(info.st_size);
  if (out.size > max_bytes) {
    out.error = FileTextError::TooLarge;
    return out;
  }
  out.text.resize(out.size);
  std::size_t done = 0;
  // Up to the size fstat gave: a file growing while we read is not our concern, and stopping
  // there saves the read that would return end-of-file.
  while (done < out.size) {
    ssize_t n = ::read(fd.get(), out.text.data() + done, out.size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      out.error = FileTextError::Unreadable;
      return out;
    }
    if (n == 0) break;  // shrank meanwhile
    done += static_cast<std::size_t>(n);
  }
  out.text.resize(done);
  return out;
}

}  // namespace migpkg
