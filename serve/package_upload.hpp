#pragma once
// A package sent as a request body to install or plan. Its bytes are verified (signature against
// the server's trust, then every member) before anything is written; only a package that passes
// is kept, in a 0600 file of the server's own uploads directory (beside its operations file),
// for the operation to read, and removed when the operation is done with it (or cancelled while
// pending). Files left by a server that was killed are removed when the next one starts.
#include <string>

#include "runtime/package/trust_store.hpp"

namespace migpkg::serve {

class UploadedPackage {
 public:
  // Throws package::PackageError (422) when the bytes are refused, nothing written then.
  UploadedPackage(const std::string& bytes, const std::string& uploads_dir,
                  const package::TrustStore& trust);
  ~UploadedPackage();
  UploadedPackage(const UploadedPackage&) = delete;
  UploadedPackage& operator=(const UploadedPackage&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The server's trust store: --trust, or the default directory when it was not given.
package::TrustStore server_trust(const std::string& trust_option);

// DIR/uploads for the operations file's directory DIR.
std::string uploads_directory(const std::string& operations_file);
// Makes the directory (0700) if it is not there; removes the uploads an earlier server left.
void prepare_uploads_directory(const std::string& uploads_dir);

}  // namespace migpkg::serve
