#include "runtime/data/migdata_tar.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/age_files.hpp"
#include "runtime/crypto/age_stream.hpp"
#include "runtime/package/archive_writer.hpp"
#include "runtime/package/entry_name.hpp"
#include "runtime/package/libarchive_api.hpp"
#include "runtime/package/utf8_locale.hpp"

namespace migpkg::data {
namespace {

using package::libarchive;

struct ArchiveDeleter {
  void operator()(archive* a) const { libarchive().archive_write_free(a); }
};
struct EntryDeleter {
  void operator()(archive_entry* e) const { libarchive().archive_entry_free(e); }
};

struct Output {
  int fd = -1;
  std::string path;
  std::unique_ptr<crypto::AgeEncryptor> encryptor;
  std::exception_ptr error;  // thrown in the callback, rethrown outside libarchive
};

la_ssize_t write_to_fd(archive* a, void* client, const void* buffer, size_t length) {
  auto* out = static_cast<Output*>(client);
  if (out->encryptor) {
    try {
      out->encryptor->write(static_cast<const char*>(buffer), length);
      return static_cast<la_ssize_t>(length);
    } catch (...) {
      out->error = std::current_exception();
      return -1;
    }
  }
  const char* p = static_cast<const char*>(buffer);
  size_t left = length;
  while (left > 0) {
    ssize_t n = ::write(out->fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      (void)a;
      return -1;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return static_cast<la_ssize_t>(length);
}

void check(archive* a, int status, const std::string& out, const std::string& what) {
  if (status < ARCHIVE_WARN) {
    const char* detail = libarchive().archive_error_string(a);
    throw std::runtime_error("cannot write " + out + " (" + what +
                             "): " + (detail ? detail : std::strerror(errno)));
  }
}

}  // namespace

void write_migdata(const std::string& out_path, const std::vector<TarMember>& members,
                   const crypto::AgeEncryptTo* encrypt_to) {
  package::Utf8LocaleGuard locale;
  const std::int64_t mtime = package::package_mtime();
  Output out;
  out.fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  out.path = out_path;
  if (out.fd < 0)
    throw std::runtime_error("cannot create " + out_path + ": " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{out.fd};
  if (encrypt_to)
    out.encryptor =
        std::make_unique<crypto::AgeEncryptor>(crypto::fd_sink(out.fd, out_path), *encrypt_to);
  const auto rethrow = [&] {
    if (out.error) std::rethrow_exception(out.error);
  };
  std::unique_ptr<archive, ArchiveDeleter> a(libarchive().archive_write_new());
  if (!a) throw std::bad_alloc();
  check(a.get(), libarchive().archive_write_set_format_pax_restricted(a.get()), out_path, "format");
  check(a.get(), libarchive().archive_write_set_bytes_in_last_block(a.get(), 1), out_path,
        "block size");
  check(a.get(),
        libarchive().archive_write_open2(a.get(), &out, nullptr, write_to_fd, nullptr, nullptr),
        out_path, "open");
  std::string buffer(1 << 20, '\0');
  for (const auto& member : members) {
    if (auto problem = package::entry_name_problem(member.name); !problem.empty())
      throw std::runtime_error("cannot write " + package::printable_name(member.name) + " into " +
                               out_path + ": " + problem);
    int in = ::open(member.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0)
      throw std::runtime_error("cannot read " + member.path + ": " + std::strerror(errno));
    Closer in_closer{in};
    struct stat st {};
    if (::fstat(in, &st) != 0)
      throw std::runtime_error("cannot read " + member.path + ": " + std::strerror(errno));
    std::unique_ptr<archive_entry, EntryDeleter> entry(libarchive().archive_entry_new());
    libarchive().archive_entry_set_pathname_utf8(entry.get(), member.name.c_str());
    libarchive().archive_entry_set_filetype(entry.get(), AE_IFREG);
    libarchive().archive_entry_set_perm(entry.get(), 0644);
    libarchive().archive_entry_set_size(entry.get(), static_cast<la_int64_t>(st.st_size));
    libarchive().archive_entry_set_mtime(entry.get(), mtime, 0);
    libarchive().archive_entry_set_uid(entry.get(), 0);
    libarchive().archive_entry_set_gid(entry.get(), 0);
    check(a.get(), libarchive().archive_write_header(a.get(), entry.get()), out_path, member.name);
    for (;;) {
      ssize_t n = ::read(in, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        throw std::runtime_error("cannot read " + member.path + ": " + std::strerror(errno));
      if (n == 0) break;
      la_ssize_t written = libarchive().archive_write_data(a.get(), buffer.data(), size_t(n));
      if (written != n) {
        rethrow();
        check(a.get(), ARCHIVE_FATAL, out_path, member.name);
      }
    }
  }
  const int closed = libarchive().archive_write_close(a.get());
  rethrow();
  check(a.get(), closed, out_path, "close");
  if (out.encryptor) out.encryptor->finish();
  if (::fsync(out.fd) != 0)
    throw std::runtime_error("cannot write " + out_path + ": " + std::strerror(errno));
}

struct MigdataReader::AgeInput {
  int fd = -1;
  std::unique_ptr<crypto::AgeDecryptor> decryptor;
  std::vector<char> buffer = std::vector<char>(1 << 18);
  std::exception_ptr error;  // thrown in the callback, rethrown outside libarchive
  ~AgeInput() {
    decryptor.reset();
    if (fd >= 0) ::close(fd);
  }
};

namespace {

la_ssize_t read_decrypted(archive*, void* client, const void** block) {
  auto* in = static_cast<MigdataReader::AgeInput*>(client);
  try {
    const std::size_t got = in->decryptor->read(in->buffer.data(), in->buffer.size());
    *block = in->buffer.data();
    return static_cast<la_ssize_t>(got);
  } catch (...) {
    in->error = std::current_exception();
    return -1;
  }
}

}  // namespace

MigdataReader::MigdataReader(const std::string& path, std::uint64_t max_members,
                             const crypto::AgeDecryptWith* age)
    : path_(path), max_members_(max_members) {
  package::Utf8LocaleGuard locale;
  if (age) {
    age_ = std::make_unique<AgeInput>();
    age_->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (age_->fd < 0) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    // The header is read and its MAC checked here, before libarchive sees a byte.
    age_->decryptor =
        std::make_unique<crypto::AgeDecryptor>(crypto::fd_source(age_->fd, path), *age);
  }
  a_ = libarchive().archive_read_new();
  if (!a_) throw std::bad_alloc();
  // Only tar, and no filter: a data set compresses its table files, not the tar.
  libarchive().archive_read_support_format_tar(a_);
  const int opened =
      age_ ? libarchive().archive_read_open(a_, age_.get(), nullptr, read_decrypted, nullptr)
           : libarchive().archive_read_open_filename(a_, path.c_str(), 1 << 20);
  if (opened != ARCHIVE_OK) {
    // The destructor does not run for a constructor that throws: free the handle here.
    try {
      fail("cannot open it");
    } catch (...) {
      libarchive().archive_read_free(a_);
      throw;
    }
  }
}

MigdataReader::~MigdataReader() {
  libarchive().archive_read_free(a_);
}

void MigdataReader::authenticate_to_end() {
  if (!age_) return;
  age_->decryptor->read_to_end();
}

void MigdataReader::fail(const std::string& what) const {
  // An age failure under libarchive (a chunk that does not authenticate) is the real reason.
  if (age_ && age_->error) std::rethrow_exception(age_->error);
  const char* detail = libarchive().archive_error_string(a_);
  throw std::runtime_error(path_ + ": not a readable .migdata tar (" + what +
                           (detail ? std::string("): ") + detail : std::string(")")));
}

bool MigdataReader::next() {
  package::Utf8LocaleGuard locale;
  archive_entry* entry = nullptr;
  int status = libarchive().archive_read_next_header(a_, &entry);
  if (status == ARCHIVE_EOF) return false;
  if (status < ARCHIVE_WARN) fail("a member's header");
  if (++members_ > max_members_)
    throw std::runtime_error(path_ + ": more than " + std::to_string(max_members_) +
                             " members; a data set has dataset.json and one file per table");
  const char* raw = libarchive().archive_entry_pathname(entry);
  name_ = raw ? raw : "";
  const std::string shown = package::printable_name(name_);
  if (libarchive().archive_entry_hardlink(entry) ||
      libarchive().archive_entry_filetype(entry) != AE_IFREG ||
      libarchive().archive_entry_sparse_count(entry) > 0)
    throw std::runtime_error(path_ + ": member " + shown +
                             " is not a plain regular file; a data set holds only those");
  if (auto problem = package::entry_name_problem(name_); !problem.empty())
    throw std::runtime_error(path_ + ": member " + shown + " refused: " + problem);
  if (name_.find('/') != std::string::npos)
    throw std::runtime_error(path_ + ": member " + shown +
                             " refused: a data set's members have no directory part");
  for (const auto& seen : seen_)
    if (seen == name_) throw std::runtime_error(path_ + ": member " + shown + " is there twice");
  seen_.push_back(name_);
  if (!libarchive().archive_entry_size_is_set(entry) || libarchive().archive_entry_size(entry) < 0)
    throw std::runtime_error(path_ + ": member " + shown + " has no size");
  size_ = static_cast<std::uint64_t>(libarchive().archive_entry_size(entry));
  return true;
}

void MigdataReader::read(const std::function<void(const char*, std::size_t)>& sink,
                         std::uint64_t max_bytes) {
  package::Utf8LocaleGuard locale;
  const std::string shown = package::printable_name(name_);
  if (size_ > max_bytes)
    throw std::runtime_error(path_ + ": member " + shown + " is " + std::to_string(size_) +
                             " bytes, more than the " + std::to_string(max_bytes) + " expected");
  std::uint64_t done = 0;
  for (;;) {
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    int status = libarchive().archive_read_data_block(a_, &block, &size, &offset);
    if (status == ARCHIVE_EOF) break;
    if (status < ARCHIVE_WARN) fail("the data of member " + shown);
    if (offset < 0 || static_cast<std::uint64_t>(offset) != done)
      throw std::runtime_error(path_ + ": member " + shown + " has holes");
    done += size;
    if (done > size_)
      throw std::runtime_error(path_ + ": member " + shown + " holds more than its header says");
    if (size) sink(static_cast<const char*>(block), size);
  }
  if (done != size_)
    throw std::runtime_error(path_ + ": member " + shown + " is truncated (" +
                             std::to_string(done) + " of " + std::to_string(size_) + " bytes)");
}

}  // namespace migpkg::data
