#pragma once
// age files on disk: encrypting or decrypting one file into another without ever leaving a
// partial or unauthenticated output under the final name. The output is written to a new file
// beside it (".NAME.XXXXXX.part", created exclusively) and renamed into place only after the
// last chunk was written (encrypt) or authenticated (decrypt); a failure removes it. An existing
// output is replaced only when `replace` is set (otherwise the rename refuses it atomically).
#include <cstdint>
#include <string>

#include "runtime/crypto/age_stream.hpp"

namespace migpkg::crypto {

struct AgeFileResult {
  std::uint64_t plaintext_bytes = 0;
  std::uint64_t file_bytes = 0;  // of the output
};

AgeFileResult encrypt_file(const std::string& input, const std::string& output,
                           const AgeEncryptTo& to, bool replace);
AgeFileResult decrypt_file(const std::string& input, const std::string& output,
                           const AgeDecryptWith& with, bool replace);

// A source reading `fd` (retrying EINTR; an I/O error is a std::runtime_error naming `label`).
AgeSource fd_source(int fd, const std::string& label);
// A sink writing all of each block to `fd`.
AgeSink fd_sink(int fd, const std::string& label);

// Whether the file begins like an age file (binary or ASCII-armored); false when unreadable.
bool file_looks_like_age(const std::string& path);

}  // namespace migpkg::crypto
