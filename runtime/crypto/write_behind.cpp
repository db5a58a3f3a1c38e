#include "runtime/crypto/write_behind.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace migpkg::crypto {
namespace {

constexpr std::uint64_t kStepBytes = 1 << 20;
constexpr std::uint64_t kWindowBytes = 64ull << 20;

}  // namespace

WriteBehind::WriteBehind(int fd) : fd_(fd) {
  struct stat info {};
  regular_file_ = fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
  if (!regular_file_) return;
  const off_t at = lseek(fd, 0, SEEK_CUR);
  written_ = handed_ = at > 0 ? static_cast<std::uint64_t>(at) : 0;
}

void WriteBehind::wrote(std::size_t size) {
  if (!regular_file_) return;
  written_ += size;
  if (written_ - handed_ < kStepBytes) return;
  const std::uint64_t start = handed_;
  sync_file_range(fd_, static_cast<off64_t>(start), static_cast<off64_t>(written_ - start),
                  SYNC_FILE_RANGE_WRITE);
  handed_ = written_;
  if (handed_ / kWindowBytes == start / kWindowBytes || handed_ < 2 * kWindowBytes) return;
  const std::uint64_t wait_end = (handed_ / kWindowBytes - 1) * kWindowBytes;
  sync_file_range(fd_, static_cast<off64_t>(wait_end - kWindowBytes),
                  static_cast<off64_t>(kWindowBytes),
                  SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
}

}  // namespace migpkg::crypto
