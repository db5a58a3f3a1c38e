#include "runtime/crypto/age_files.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/write_behind.hpp"

namespace migpkg::crypto {
namespace {

std::runtime_error io_error(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

// Holds the temporary output; removes it unless committed.
class PartFile {
 public:
  PartFile(const std::string& output, mode_t mode) {
    const auto slash = output.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : output.substr(0, slash + 1);
    const std::string base = slash == std::string::npos ? output : output.substr(slash + 1);
    path_ = dir + "." + base + ".XXXXXX.part";
    fd_ = mkostemps(path_.data(), 5, O_CLOEXEC);
    if (fd_ < 0) throw io_error("cannot create a temporary file beside", output);
    fchmod(fd_, mode & ~current_umask());
  }
  ~PartFile() {
    if (fd_ >= 0) close(fd_);
    if (!committed_) unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  // fsync, close and rename onto `output` (atomically refusing an existing one unless replace).
  void commit(const std::string& output, bool replace) {
    if (fsync(fd_) != 0 || close(fd_) != 0) {
      fd_ = -1;
      throw io_error("cannot write", path_);
    }
    fd_ = -1;
    if (replace) {
      if (rename(path_.c_str(), output.c_str()) != 0) throw io_error("cannot rename onto", output);
    } else if (renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, output.c_str(), RENAME_NOREPLACE) !=
               0) {
      if (errno != EINVAL && errno != ENOSYS) {
        if (errno == EEXIST)
          throw std::runtime_error(output + " already exists; pass --force to replace it");
        throw io_error("cannot rename onto", output);
      }
      if (link(path_.c_str(), output.c_str()) != 0) {
        if (errno == EEXIST)
          throw std::runtime_error(output + " already exists; pass --force to replace it");
        throw io_error("cannot link", output);
      }
      unlink(path_.c_str());
    }
    committed_ = true;
  }

 private:
  static mode_t current_umask() {
    const mode_t mask = umask(022);
    umask(mask);
    return mask;
  }
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

class InputFile {
 public:
  explicit InputFile(const std::string& path) : fd_(open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw io_error("cannot read", path);
  }
  ~InputFile() { close(fd_); }
  int fd() const { return fd_; }

 private:
  int fd_;
};

void refuse_existing(const std::string& output, bool replace) {
  if (!replace && access(output.c_str(), F_OK) == 0)
    throw std::runtime_error(output + " already exists; pass --force to replace it");
}

}  // namespace

AgeSource fd_source(int fd, const std::string& label) {
  return [fd, label](char* data, std::size_t size) -> std::size_t {
    while (true) {
      const ssize_t got = ::read(fd, data, size);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR) throw io_error("cannot read", label);
    }
  };
}

AgeSink fd_sink(int fd, const std::string& label) {
  return [fd, label](const char* data, std::size_t size) {
    while (size > 0) {
      const ssize_t done = ::write(fd, data, size);
      if (done < 0) {
        if (errno == EINTR) continue;
        throw io_error("cannot write", label);
      }
      data += done;
      size -= static_cast<std::size_t>(done);
    }
  };
}

AgeFileResult encrypt_file(const std::string& input, const std::string& output,
                           const AgeEncryptTo& to, bool replace) {
  refuse_existing(output, replace);
  InputFile in(input);
  PartFile part(output, 0666);
  AgeFileResult result;
  // Written as each chunk is sealed, from this thread (write_behind.hpp says why).
  const AgeSink write_out = fd_sink(part.fd(), output);
  WriteBehind behind(part.fd());
  AgeEncryptor encryptor(
      [&](const char* data, std::size_t size) {
        write_out(data, size);
        behind.wrote(size);
        result.file_bytes += size;
      },
      to);
  const AgeSource read_in = fd_source(in.fd(), input);
  std::vector<char> buffer(kAgeChunkBytes * 4);
  while (const std::size_t got = read_in(buffer.data(), buffer.size())) {
    encryptor.write(buffer.data(), got);
    result.plaintext_bytes += got;
  }
  encryptor.finish();
  part.commit(output, replace);
  return result;
}

AgeFileResult decrypt_file(const std::string& input, const std::string& output,
                           const AgeDecryptWith& with, bool replace) {
  refuse_existing(output, replace);
  InputFile in(input);
  AgeDecryptor decryptor(fd_source(in.fd(), input), with);  // the header, before any output
  PartFile part(output, 0600);  // plaintext of something someone chose to encrypt
  AgeFileResult result;
  // Each chunk is written as soon as it authenticated, from this thread (write_behind.hpp).
  const AgeSink write_out = fd_sink(part.fd(), output);
  WriteBehind behind(part.fd());
  for (std::string_view chunk; !(chunk = decryptor.read_chunk()).empty();) {
    write_out(chunk.data(), chunk.size());
    behind.wrote(chunk.size());
    result.plaintext_bytes += chunk.size();
  }
  result.file_bytes = result.plaintext_bytes;
  part.commit(output, replace);
  return result;
}

bool file_looks_like_age(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char start[64];
  const ssize_t got = ::read(fd, start, sizeof start);
  close(fd);
  if (got <= 0) return false;
  const std::string_view text(start, static_cast<std::size_t>(got));
  return looks_like_age(text) || looks_like_armored_age(text);
}

}  // namespace migpkg::crypto
