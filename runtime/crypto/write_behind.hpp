#pragma once
// Write-behind for a file written front to back and fsync'ed at the end (encrypt_file and
// decrypt_file's outputs): every megabyte written is handed to the disk at once
// (sync_file_range(SYNC_FILE_RANGE_WRITE)), so the disk writes while the cipher runs and the
// final fsync finds little left. Otherwise the kernel starts writing only when the dirty pages
// pass its background threshold (10% of memory) or at the fsync, and a durable output costs the
// cipher's time plus the whole write's. At each 64 MiB boundary it waits for the range written
// 64 MiB earlier (on its way for that long), so the dirty pages stay bounded.
//
// The outputs are written from the thread that encrypts or decrypts, a chunk at a time, as age
// does: the chunk is still in that core's cache for the kernel's copy, and nothing waits for
// another thread (a writer thread, tried before, made both directions twice as slow as age on
// a busy machine, where every hand-over between the threads waited for a core).
#include <cstddef>
#include <cstdint>

namespace migpkg::crypto {

class WriteBehind {
 public:
  explicit WriteBehind(int fd);  // does nothing unless fd is a regular file
  // After `size` more bytes were written at the end of what was written so far. Errors are
  // ignored: this only moves work earlier, and the caller's fsync reports a write failure.
  void wrote(std::size_t size);

 private:
  int fd_;
  bool regular_file_ = false;
  std::uint64_t written_ = 0;  // file offset reached
  std::uint64_t handed_ = 0;   // bytes handed to the disk so far
};

}  // namespace migpkg::crypto
