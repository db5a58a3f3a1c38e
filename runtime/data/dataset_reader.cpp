// DatasetReader (dataset.hpp) for a directory or a `.migdata` tar. Everything in it is
// untrusted: dataset.json is parsed with bounds (dataset_manifest.hpp); at open every table file
// must be there, a regular file of the size dataset.json gives, and nothing else may be in a
// tar; a table file's SHA-256 is checked in a first pass before a second pass decodes rows, so
// no row of a changed file is ever handed out; the second pass counts the rows and recomputes
// the content hash, and a file whose rows disagree with dataset.json fails at its end.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

#include "compiler/util/sha256.hpp"
#include "runtime/crypto/age_files.hpp"
#include "runtime/data/content_digest.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/dataset_manifest.hpp"
#include "runtime/data/migdata_tar.hpp"
#include "runtime/data/record_splitter.hpp"
#include "runtime/data/row_codec.hpp"
#include "runtime/data/zstd_stream.hpp"

namespace migpkg::data {
namespace {

constexpr std::size_t kMaxRecordBytes = 256u << 20;
constexpr std::size_t kChunk = 1 << 20;

using Chunks = std::function<void(const char*, std::size_t)>;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// A regular file inside the data set's directory, opened without following a symbolic link.
int open_member(const std::string& path, std::uint64_t* size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error(path + ": " +
                             (errno == ELOOP ? std::string("a symbolic link; a data set holds "
                                                           "regular files only")
                                             : std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw std::runtime_error(path + ": not a regular file");
  }
  *size = static_cast<std::uint64_t>(st.st_size);
  return fd;
}

void read_fd(int fd, const std::string& path, const Chunks& sink) {
  std::string buffer(kChunk, '\0');
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(path + ": " + std::strerror(errno));
    if (n == 0) return;
    sink(buffer.data(), static_cast<std::size_t>(n));
  }
}

class Reader : public DatasetReader {
 public:
  Reader(std::string path, const crypto::AgeDecryptWith* age) : path_(std::move(path)) {
    while (path_.size() > 1 && path_.back() == '/') path_.pop_back();
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0)
      throw std::runtime_error(path_ + ": " + std::strerror(errno));
    tar_ = S_ISREG(st.st_mode);
    if (!tar_ && !S_ISDIR(st.st_mode))
      throw std::runtime_error(path_ + ": neither a data set directory nor a .migdata file");
    if (tar_ && crypto::file_looks_like_age(path_)) {
      if (!age)
        throw std::runtime_error(path_ +
                                 " is age-encrypted: give --identity FILE or "
                                 "--passphrase-file FILE to read it");
      age_ = age;
    }
    tar_ ? open_tar() : open_directory();
  }

  const DatasetManifest& manifest() const override { return manifest_; }

  void read_rows(const std::string& name, std::uint64_t skip_rows, std::size_t batch_rows,
                 const std::function<void(std::vector<Row>)>& sink) override {
    const DatasetTable* table = manifest_.find_table(name);
    if (!table) throw std::runtime_error(path_ + ": the data set has no table " + name);
    if (batch_rows == 0) batch_rows = 1;
    const std::string label = path_ + "/" + table->file;
    // Pass 1: the stored bytes against dataset.json.
    Sha256 sha;
    std::uint64_t bytes = 0;
    stored_bytes(*table, [&](const char* data, std::size_t size) {
      sha.update(data, size);
      bytes += size;
    });
    if (bytes != table->bytes)
      throw std::runtime_error(label + ": " + std::to_string(bytes) +
                               " bytes, but dataset.json "
                               "says " +
                               std::to_string(table->bytes));
    if (sha.hex_digest() != table->sha256)
      throw std::runtime_error(label +
                               ": its SHA-256 differs from dataset.json's: the file was "
                               "changed or damaged");
    // Pass 2: rows.
    auto decoder = make_row_decoder(table->format, table->table, label);
    bool header_due = decoder->has_header();
    std::uint64_t rows = 0;
    ContentDigest digest;
    std::vector<Row> batch;
    Row row;
    RecordSplitter splitter(
        [&](std::string_view record, std::uint64_t line) {
          if (header_due) {
            decoder->read_header(record, line);
            header_due = false;
            return;
          }
          ++rows;
          if (rows > table->rows)
            throw DecodeError(label + ":" + std::to_string(line) + ": more rows than the " +
                              std::to_string(table->rows) + " dataset.json gives");
          decoder->read_row(record, line, row);
          digest.add(row);
          if (rows <= skip_rows) return;
          batch.push_back(std::move(row));
          if (batch.size() >= batch_rows) {
            sink(std::move(batch));
            batch = {};
          }
        },
        table->format == FileFormat::Csv, kMaxRecordBytes, label);
    std::unique_ptr<ZstdDecompressor> zstd;
    if (table->compression == Compression::Zstd)
      zstd = std::make_unique<ZstdDecompressor>(
          [&](const char* data, std::size_t size) { splitter.feed(data, size); }, label);
    stored_bytes(*table, [&](const char* data, std::size_t size) {
      zstd ? zstd->feed(data, size) : splitter.feed(data, size);
    });
    if (zstd) zstd->finish();
    splitter.finish();
    if (header_due) throw DecodeError(label + ":1: no header line");
    if (rows != table->rows)
      throw DecodeError(label + ": " + std::to_string(rows) + " rows, but dataset.json says " +
                        std::to_string(table->rows));
    if (digest.hex() != table->content_hash)
      throw DecodeError(label + ": the rows' content hash differs from dataset.json's");
    if (!batch.empty()) sink(std::move(batch));
  }

 private:
  void open_directory() {
    const std::string manifest_path = path_ + "/" + kManifestName;
    std::uint64_t size = 0;
    Fd fd(open_member(manifest_path, &size));
    if (size > kMaxManifestBytes)
      throw std::runtime_error(manifest_path + ": larger than " +
                               std::to_string(kMaxManifestBytes) + " bytes");
    std::string text;
    read_fd(fd.get(), manifest_path, [&](const char* d, std::size_t n) {
      if (text.size() + n > kMaxManifestBytes)
        throw std::runtime_error(manifest_path + ": larger than " +
                                 std::to_string(kMaxManifestBytes) + " bytes");
      text.append(d, n);
    });
    manifest_ = parse_manifest(text, manifest_path);
    for (const auto& t : manifest_.tables) {
      std::uint64_t file_size = 0;
      Fd member(open_member(path_ + "/" + t.file, &file_size));
      check_size(t, file_size);
    }
  }

  void open_tar() {
    const std::string manifest_label = path_ + ":" + kManifestName;
    std::map<std::string, std::uint64_t> sizes;
    std::string text;
    bool found = false;
    MigdataReader tar(path_, kMaxTables + 1, age_);
    while (tar.next()) {
      if (tar.name() == kManifestName) {
        tar.read([&](const char* d, std::size_t n) { text.append(d, n); }, kMaxManifestBytes);
        found = true;
      } else {
        sizes[tar.name()] = tar.size();
      }
    }
    // An age file authenticates only at its last chunk: read to it before anything is trusted,
    // so a changed or truncated file is refused before a row is handed out.
    tar.authenticate_to_end();
    if (!found) throw std::runtime_error(path_ + ": no dataset.json in it");
    manifest_ = parse_manifest(text, manifest_label);
    for (const auto& t : manifest_.tables) {
      auto size = sizes.find(t.file);
      if (size == sizes.end())
        throw std::runtime_error(path_ + ": table " + t.table.name + "'s file " + t.file +
                                 " is not in it");
      check_size(t, size->second);
      sizes.erase(size);
    }
    if (!sizes.empty())
      throw std::runtime_error(path_ + ": member " + sizes.begin()->first +
                               " is not a file dataset.json lists");
  }

  void check_size(const DatasetTable& t, std::uint64_t size) const {
    if (size != t.bytes)
      throw std::runtime_error(path_ + "/" + t.file + ": " + std::to_string(size) +
                               " bytes, but dataset.json says " + std::to_string(t.bytes));
  }

  // The table file's bytes as stored, in chunks.
  void stored_bytes(const DatasetTable& t, const Chunks& sink) {
    if (!tar_) {
      std::uint64_t size = 0;
      const std::string file = path_ + "/" + t.file;
      Fd fd(open_member(file, &size));
      check_size(t, size);
      read_fd(fd.get(), file, sink);
      return;
    }
    MigdataReader tar(path_, kMaxTables + 1, age_);
    while (tar.next())
      if (tar.name() == t.file) {
        check_size(t, tar.size());
        tar.read(sink, t.bytes);
        return;
      }
    throw std::runtime_error(path_ + ": table " + t.table.name + "'s file " + t.file +
                             " is not in it");
  }

  std::string path_;
  bool tar_ = false;
  const crypto::AgeDecryptWith* age_ = nullptr;  // an age-encrypted .migdata
  DatasetManifest manifest_;
};

}  // namespace

std::unique_ptr<DatasetReader> DatasetReader::open(const std::string& path,
                                                   const crypto::AgeDecryptWith* age) {
  return std::make_unique<Reader>(path, age);
}

bool DatasetReader::is_encrypted(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && crypto::file_looks_like_age(path);
}

}  // namespace migpkg::data
