// Files for backups: private (0600/0700, they hold user data), written under a temporary name
// and renamed into place only when complete, never replacing an existing backup.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>

#include "runtime/backup/backup_internal.hpp"
#include "runtime/data/zstd_stream.hpp"

namespace migpkg::runtime::backup_detail {
namespace {

std::string error_text(int error) {
  return std::strerror(error);
}

// Removes a file, or a directory together with the files directly in it (backups never nest
// deeper); errors are ignored because this only runs while cleaning up after another error.
void remove_quietly(const std::string& path) {
  struct stat info {};
  if (lstat(path.c_str(), &info) != 0) return;
  if (!S_ISDIR(info.st_mode)) {
    unlink(path.c_str());
    return;
  }
  if (DIR* dir = opendir(path.c_str())) {
    while (dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") unlink((path + "/" + name).c_str());
    }
    closedir(dir);
  }
  rmdir(path.c_str());
}

// rename() that fails with EEXIST instead of replacing `to`. Falls back to link()+unlink() for
// files, and to a check-then-rename for directories, on file systems without RENAME_NOREPLACE.
bool rename_no_replace(const std::string& from, const std::string& to, int& error) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  error = errno;
  if (error != EINVAL && error != ENOSYS) return false;
  if (!is_directory(from)) {
    if (link(from.c_str(), to.c_str()) != 0) {
      error = errno;
      return false;
    }
    unlink(from.c_str());
    return true;
  }
  if (exists(to)) {
    error = EEXIST;
    return false;
  }
  if (rename(from.c_str(), to.c_str()) == 0) return true;
  error = errno;
  return false;
}

}  // namespace

std::string sha256_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BackupError("cannot read backup file " + path + ": " + error_text(errno));
  Sha256 hash;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    hash.update(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw BackupError("cannot read backup file " + path);
  return hash.hex_digest();
}

Timestamps utc_timestamps() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char compact[32], iso[32];
  std::strftime(compact, sizeof compact, "%Y%m%dT%H%M%SZ", &utc);
  std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return {compact, iso};
}

std::string safe_label(const std::string& label) {
  std::string out;
  for (char c : label) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.';
    out += plain ? c : '_';
  }
  // A leading '.' would hide the backup and "." or ".." would not be a file name at all.
  if (!out.empty() && out[0] == '.') out[0] = '_';
  if (out.empty()) out = "backup";
  // Room for the time stamp and suffixes within NAME_MAX (255).
  if (out.size() > 150) out.resize(150);
  return out;
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

bool exists(const std::string& path) {
  struct stat info {};
  return lstat(path.c_str(), &info) == 0;
}

std::string parent_directory(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void ensure_directory(const std::string& directory) {
  if (directory.empty()) throw BackupError("no backup directory given");
  std::string partial;
  std::size_t position = 0;
  while (position <= directory.size()) {
    std::size_t slash = directory.find('/', position);
    if (slash == std::string::npos) slash = directory.size();
    partial = directory.substr(0, slash);
    position = slash + 1;
    if (partial.empty() || is_directory(partial)) continue;
    if (mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
      throw BackupError("cannot create backup directory " + partial + ": " + error_text(errno));
  }
  if (!is_directory(directory))
    throw BackupError("backup directory " + directory + " is not a directory");
}

std::string temp_path(const std::string& directory, const std::string& final_name) {
  static std::atomic<unsigned> counter{0};
  std::random_device entropy;
  return directory + "/." + final_name + ".tmp-" + std::to_string(getpid()) + "-" +
         std::to_string(++counter) + "-" + std::to_string(entropy() % 1000000);
}

std::string publish_unique(const std::string& from, const std::string& directory,
                           const std::string& base, const std::string& suffix) {
  for (int attempt = 1; attempt <= 1000; ++attempt) {
    std::string candidate =
        directory + "/" + base + (attempt == 1 ? "" : "-" + std::to_string(attempt)) + suffix;
    // A SQLite backup is two files; neither half of an earlier one may be overwritten.
    if (exists(candidate + ".manifest.json")) continue;
    int error = 0;
    if (rename_no_replace(from, candidate, error)) return candidate;
    if (error != EEXIST && error != ENOTEMPTY)
      throw BackupError("cannot move backup into place as " + candidate + ": " + error_text(error));
  }
  throw BackupError("cannot find a free name for backup " + directory + "/" + base + suffix);
}

void publish_exact(const std::string& from, const std::string& to) {
  int error = 0;
  if (!rename_no_replace(from, to, error))
    throw BackupError("cannot move backup file into place as " + to + ": " + error_text(error));
}

void create_private_file(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw BackupError("cannot create backup file " + path + ": " + error_text(errno));
  // The umask may have taken bits away; 0600 exactly is what a backup of user data should be.
  fchmod(fd, 0600);
  close(fd);
}

void write_private_file(const std::string& path, const std::string& content) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw BackupError("cannot create backup file " + path + ": " + error_text(errno));
  fchmod(fd, 0600);
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      close(fd);
      throw BackupError("cannot write backup file " + path + ": " + error_text(error));
    }
    written += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0)
    throw BackupError("cannot write backup file " + path + ": " + error_text(errno));
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BackupError("cannot read " + path + ": " + error_text(errno));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void fsync_path(const std::string& path) {
  // A backup is taken because the next step may go wrong; it has to be on disk before that.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BackupError("cannot open " + path + " to sync it: " + error_text(errno));
  int rc = fsync(fd);
  int error = errno;
  close(fd);
  // Some file systems refuse fsync on directories (EINVAL); the data files were synced already.
  if (rc != 0 && !(error == EINVAL && is_directory(path)))
    throw BackupError("cannot sync " + path + " to disk: " + error_text(error));
}

Cleanup::~Cleanup() {
  for (auto it = paths_.rbegin(); it != paths_.rend(); ++it) remove_quietly(*it);
}

bool is_compressed(const std::string& path) {
  const std::string suffix = kCompressedSuffix;
  return path.size() > suffix.size() &&
         path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void read_data_file(const std::string& path, const ByteSink& sink) {
  read_data_file(path, is_compressed(path), sink);
}

void read_data_file(const std::string& path, bool compressed, const ByteSink& sink) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BackupError("cannot read backup file " + path + ": " + error_text(errno));
  std::optional<data::ZstdDecompressor> decompressor;
  if (compressed) decompressor.emplace(sink, "backup file " + path);
  char buffer[1 << 16];
  try {
    for (;;) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw BackupError("cannot read backup file " + path + ": " + error_text(errno));
      if (n == 0) break;
      if (decompressor)
        decompressor->feed(buffer, static_cast<std::size_t>(n));
      else
        sink(buffer, static_cast<std::size_t>(n));
    }
    if (decompressor) decompressor->finish();
  } catch (const BackupError&) {
    ::close(fd);
    throw;
  } catch (const std::runtime_error& error) {
    // The decompressor's refusals already name the file: damaged, cut short, or a bad checksum.
    ::close(fd);
    throw BackupError(std::string(error.what()) +
                      " (the file was modified or damaged after it was written)");
  }
  ::close(fd);
}

void read_data_lines(const std::string& path, const std::function<void(const std::string&)>& line) {
  std::string pending;
  read_data_file(path, [&](const char* data, std::size_t size) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < size; ++i) {
      if (data[i] != '\n') continue;
      pending.append(data + start, i - start);
      line(pending);
      pending.clear();
      start = i + 1;
    }
    pending.append(data + start, size - start);
  });
  if (!pending.empty()) line(pending);
}

std::string expand_data_file(const std::string& from, const std::string& to) {
  PrivateWriter writer(to);
  Sha256 hash;
  read_data_file(from, [&](const char* data, std::size_t size) {
    hash.update(data, size);
    writer.write(std::string(data, size));
  });
  writer.close();
  return hash.hex_digest();
}

void compress_file(const std::string& from, const std::string& to) {
  PrivateWriter writer(to, true);
  read_data_file(from, false, [&](const char* data, std::size_t size) {
    writer.write(std::string(data, size));
  });
  writer.close();
}

LineFileDigest digest_line_file(const std::string& path) {
  LineFileDigest digest;
  Sha256 hash;
  read_data_file(path, [&](const char* data, std::size_t size) {
    hash.update(data, size);
    for (std::size_t i = 0; i < size; ++i) digest.rows += data[i] == '\n';
  });
  digest.sha256 = hash.hex_digest();
  return digest;
}

PrivateWriter::PrivateWriter(const std::string& path, bool compress) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) fail("cannot create");
  fchmod(fd_, 0600);  // whatever the umask
  if (compress)
    compressor_ = std::make_unique<data::ZstdCompressor>(
        [this](const char* data, std::size_t size) { append(data, size); });
}

PrivateWriter::~PrivateWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void PrivateWriter::write(const std::string& data) {
  if (compressor_)
    compressor_->write(data.data(), data.size());
  else
    append(data.data(), data.size());
}

void PrivateWriter::append(const char* data, std::size_t size) {
  buffer_.append(data, size);
  if (buffer_.size() >= (1 << 16)) flush();
}

void PrivateWriter::close() {
  if (compressor_) compressor_->finish();
  flush();
  if (fsync(fd_) != 0) fail("cannot sync");
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("cannot write");
}

void PrivateWriter::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write");
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void PrivateWriter::fail(const char* what) {
  throw BackupError(std::string(what) + " backup file " + path_ + ": " + std::strerror(errno));
}

}  // namespace migpkg::runtime::backup_detail
