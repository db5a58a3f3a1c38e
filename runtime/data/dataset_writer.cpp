// DatasetWriter (dataset.hpp): table files are written into a staging directory beside `path`
// and appear at `path` only when finish() succeeds (a rename of the directory, or of the tar
// built from it), so an export that fails or is killed never leaves a partial data set where
// one is expected. Each table file is streamed: rows are encoded into one buffer, which goes
// through zstd (when asked) and SHA-256 to the file once it holds about 1 MiB.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <stdexcept>

#include "compiler/util/sha256.hpp"
#include "runtime/data/content_digest.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/dataset_manifest.hpp"
#include "runtime/data/migdata_tar.hpp"
#include "runtime/data/row_codec.hpp"
#include "runtime/data/staging_lock.hpp"
#include "runtime/data/zstd_stream.hpp"

namespace migpkg::data {
namespace {

constexpr std::size_t kFlushBytes = 1 << 20;
// How much of a table file may wait in the page cache before its write-back is started, so
// that the fsync at its end waits for the last few MiB rather than for most of the file (the
// kernel would otherwise start writing it only when it is old or memory is short).
constexpr std::uint64_t kWriteBackBytes = 8 << 20;

[[noreturn]] void fail_errno(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Whether `path` is absent, or an empty directory.
bool absent_or_empty_directory(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return errno == ENOENT;
  if (!S_ISDIR(st.st_mode)) return false;
  DIR* dir = ::opendir(path.c_str());
  if (!dir) return false;
  bool empty = true;
  while (dirent* e = ::readdir(dir))
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) empty = false;
  ::closedir(dir);
  return empty;
}

void fsync_path(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) fail_errno("cannot open", path);
  int status = ::fsync(fd);
  ::close(fd);
  if (status != 0) fail_errno("cannot write", path);
}

std::string parent_of(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A table's file name: its name with anything outside [A-Za-z0-9_-] replaced by '_', cut to
// 200 bytes, made unique without regard to case (case-insensitive file systems), plus the
// extension.
std::string file_name_for(const std::string& table, const std::string& extension,
                          std::set<std::string>& taken_lower) {
  std::string stem;
  for (char c : table) {
    bool safe = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    stem += safe && static_cast<unsigned char>(c) < 0x80 ? c : '_';
    if (stem.size() >= 200) break;
  }
  if (stem.empty()) stem = "table";
  for (int n = 1;; ++n) {
    std::string name = stem + (n == 1 ? "" : "-" + std::to_string(n)) + extension;
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (taken_lower.insert(lower).second) return name;
  }
}

class FileOut {
 public:
  explicit FileOut(const std::string& path)
      : path_(path), fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) {
    if (fd_ < 0) fail_errno("cannot create", path);
  }
  ~FileOut() {
    if (fd_ >= 0) ::close(fd_);
  }
  void write(const char* data, std::size_t size) {
    sha_.update(data, size);
    bytes_ += size;
    while (size > 0) {
      ssize_t n = ::write(fd_, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail_errno("cannot write", path_);
      data += n;
      size -= static_cast<std::size_t>(n);
    }
#ifdef SYNC_FILE_RANGE_WRITE
    if (bytes_ - written_back_ >= kWriteBackBytes) {
      // Starts the write-back without waiting for it; failing is harmless (close's fsync
      // writes and checks everything).
      ::sync_file_range(fd_, static_cast<off_t>(written_back_),
                        static_cast<off_t>(bytes_ - written_back_), SYNC_FILE_RANGE_WRITE);
      written_back_ = bytes_;
    }
#endif
  }
  void close() {
    if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
      fd_ = -1;
      fail_errno("cannot write", path_);
    }
    fd_ = -1;
  }
  std::uint64_t bytes() const {
    return bytes_;
  }
  std::string sha256() {
    return sha_.hex_digest();
  }

 private:
  std::string path_;
  int fd_;
  Sha256 sha_;
  std::uint64_t bytes_ = 0;
  std::uint64_t written_back_ = 0;  // bytes whose write-back was started
};

class Writer : public DatasetWriter {
 public:
  Writer(std::string path, FileFormat format, Compression compression,
         const crypto::AgeEncryptTo* encrypt_to)
      : path_(std::move(path)),
        tar_(ends_with(path_, ".migdata") || (encrypt_to && ends_with(path_, ".migdata.age"))),
        format_(format),
        compression_(compression),
        encrypt_to_(encrypt_to) {
    while (path_.size() > 1 && path_.back() == '/') path_.pop_back();
    if (encrypt_to_ && !tar_)
      throw std::runtime_error("cannot encrypt the data set " + path_ +
                               ": only a .migdata file can be encrypted, not a directory (name "
                               "it NAME.migdata or NAME.migdata.age)");
    if (tar_) {
      struct stat st {};
      if (::lstat(path_.c_str(), &st) == 0)
        throw std::runtime_error(path_ + " exists already: remove it or choose another name");
    } else if (!absent_or_empty_directory(path_)) {
      throw std::runtime_error(path_ + " exists and is not an empty directory");
    }
    // What a killed export to the same OUT left behind goes first (staging_lock.hpp).
    remove_stale_staging(path_);
    LockedStaging staging = create_locked_staging(path_);
    staging_ = staging.path;
    staging_lock_ = staging.lock_fd;
    // mkdtemp makes it 0700; the data set directory gets what mkdir would give it.
    mode_t mask = ::umask(0);
    ::umask(mask);
    if (!tar_ && ::chmod(staging_.c_str(), 0777 & ~mask) != 0)
      fail_errno("cannot set the mode of", staging_);
  }
  ~Writer() override {
    if (!staging_.empty()) remove_staging(staging_);
    if (staging_lock_ >= 0) ::close(staging_lock_);
  }

  void begin_table(const DataTable& table) override {
    if (current_)
      throw std::logic_error("begin_table while table " + current_->table.name + " is open");
    if (table.columns.empty()) throw std::runtime_error("table " + table.name + " has no columns");
    for (const auto& t : tables_)
      if (t.table.name == table.name)
        throw std::runtime_error("table " + table.name + " is written twice");
    current_.emplace();
    current_->table = table;
    current_->format = format_;
    current_->compression = compression_;
    current_->file = file_name_for(table.name, table_file_extension(format_, compression_), taken_);
    encoder_ = make_row_encoder(format_, table);
    file_ = std::make_unique<FileOut>(staging_ + "/" + current_->file);
    if (compression_ == Compression::Zstd)
      zstd_ = std::make_unique<ZstdCompressor>(
          [this](const char* data, std::size_t size) { file_->write(data, size); });
    digest_ = ContentDigest();
    rows_ = 0;
    buffer_.clear();
    encoder_->append_header(buffer_);
  }

  void write_rows(const std::vector<Row>& rows,
                  const std::function<ContentDigest()>& digested) override {
    if (!current_) throw std::logic_error("write_rows outside a table");
    for (const Row& row : rows) {
      encoder_->append_row(row, ++rows_, buffer_);
      if (!digested) digest_.add(row);
      if (buffer_.size() >= kFlushBytes) flush();
    }
    if (!digested) return;
    const ContentDigest taken = digested();
    if (taken.rows() != rows.size())
      throw std::logic_error("write_rows: the digest is not of these rows");
    digest_.add(taken);
  }

  DatasetTable end_table() override {
    if (!current_) throw std::logic_error("end_table outside a table");
    flush();
    if (zstd_) zstd_->finish();
    file_->close();
    DatasetTable done = std::move(*current_);
    done.rows = digest_.rows();
    done.content_hash = digest_.hex();
    done.bytes = file_->bytes();
    done.sha256 = file_->sha256();
    current_.reset();
    zstd_.reset();
    file_.reset();
    tables_.push_back(done);
    return done;
  }

  void finish(DatasetManifest manifest) override {
    if (current_) throw std::logic_error("finish while table " + current_->table.name + " is open");
    manifest.tables = tables_;
    {
      FileOut out(staging_ + "/" + kManifestName);
      std::string bytes = manifest_bytes(manifest);
      out.write(bytes.data(), bytes.size());
      out.close();
    }
    if (tar_) {
      std::vector<TarMember> members{{kManifestName, staging_ + "/" + kManifestName}};
      for (const auto& t : tables_) members.push_back({t.file, staging_ + "/" + t.file});
      std::string partial = staging_ + ".tar";
      try {
        write_migdata(partial, members, encrypt_to_);
        if (::rename(partial.c_str(), path_.c_str()) != 0) fail_errno("cannot create", path_);
      } catch (...) {
        ::unlink(partial.c_str());
        throw;
      }
      remove_staging(staging_);
    } else {
      fsync_path(staging_, true);
      // rename(2) replaces an empty directory; a non-empty one (made meanwhile) fails it.
      if (::rename(staging_.c_str(), path_.c_str()) != 0) fail_errno("cannot create", path_);
    }
    staging_.clear();
    fsync_path(parent_of(path_), true);
  }

 private:
  void flush() {
    if (buffer_.empty()) return;
    if (zstd_) {
      zstd_->write(buffer_.data(), buffer_.size());
    } else {
      file_->write(buffer_.data(), buffer_.size());
    }
    buffer_.clear();
  }

  std::string path_, staging_;
  int staging_lock_ = -1;  // flock held on staging_ while this writer lives
  bool tar_;
  FileFormat format_;
  Compression compression_;
  const crypto::AgeEncryptTo* encrypt_to_;
  std::vector<DatasetTable> tables_;
  std::set<std::string> taken_{kManifestName};
  std::optional<DatasetTable> current_;
  std::unique_ptr<RowEncoder> encoder_;
  std::unique_ptr<FileOut> file_;
  std::unique_ptr<ZstdCompressor> zstd_;
  ContentDigest digest_;
  std::uint64_t rows_ = 0;  // of the current table, numbered from 1 in messages
  std::string buffer_;
};

}  // namespace

std::unique_ptr<DatasetWriter> DatasetWriter::create(const std::string& path, FileFormat format,
                                                     Compression compression,
                                                     const crypto::AgeEncryptTo* encrypt_to) {
  if (path.empty()) throw std::runtime_error("the data set's path is empty");
  return std::make_unique<Writer>(path, format, compression, encrypt_to);
}

}  // namespace migpkg::data
