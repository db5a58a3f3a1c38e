#pragma once
// A data set: what `export` writes and `import` reads (docs/data.md, "Data sets";
// schemas/dataset.schema.json). A directory holding dataset.json and one file per table, or the
// same as one reproducible tar file when the path ends in ".migdata". Table files are NDJSON or
// CSV, optionally zstd-compressed; rows in them are in their portable form (data_table.hpp)
// encoded as docs/data.md says (integers as JSON numbers, decimals as strings, binary as base64,
// JSON embedded, NULL as null; in CSV NULL is an empty unquoted field, "" the empty string).
//
// Everything read from a data set is untrusted: sizes are bounded, names never leave the data
// set's directory, and a table file's SHA-256 and size are checked against dataset.json before
// its rows are handed out.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/data/content_digest.hpp"
#include "runtime/data/data_table.hpp"

namespace migpkg::crypto {
struct AgeEncryptTo;
struct AgeDecryptWith;
}  // namespace migpkg::crypto

namespace migpkg::data {

enum class FileFormat { Ndjson, Csv };
enum class Compression { None, Zstd };

struct DatasetTable {
  DataTable table;   // name, columns with portable types, primary key
  std::string file;  // the table file's name inside the data set ("orders.ndjson.zst")
  FileFormat format = FileFormat::Ndjson;
  Compression compression = Compression::None;
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;   // the file's size as stored
  std::string sha256;        // of the file as stored, hex
  std::string content_hash;  // ContentDigest::hex() of its rows
};

struct DatasetPlugin {
  std::string id, version;  // the plugin's schema version in the database it was exported from
};

struct DatasetManifest {
  int format_version = 1;
  std::string source_engine;  // ir::engine_name of the database exported from
  std::vector<DatasetPlugin> plugins;
  std::vector<DatasetTable> tables;
  const DatasetTable* find_table(const std::string& name) const;
};

// Writes a data set table by table; nothing is visible at `path` until finish() succeeds.
class DatasetWriter {
 public:
  virtual ~DatasetWriter() = default;
  // `path` ends in ".migdata": one tar file; otherwise a directory (created; must be absent or
  // empty).
  // With `encrypt_to` (which must outlive the writer), the .migdata file is one age file
  // holding the tar; its name may also end in ".migdata.age". A directory cannot be encrypted.
  static std::unique_ptr<DatasetWriter> create(const std::string& path, FileFormat format,
                                               Compression compression,
                                               const crypto::AgeEncryptTo* encrypt_to = nullptr);
  virtual void begin_table(const DataTable& table) = 0;
  // `digested`, when given, gives the rows' content digest, which the caller takes (export takes
  // it on another thread while the writer encodes the rows); it is called once the rows are
  // encoded. Without it the writer takes the digest.
  virtual void write_rows(const std::vector<Row>& rows,
                          const std::function<ContentDigest()>& digested) = 0;
  void write_rows(const std::vector<Row>& rows) { write_rows(rows, nullptr); }
  // Ends the current table; returns its manifest entry (rows, bytes, hashes filled in).
  virtual DatasetTable end_table() = 0;
  // Writes dataset.json (plugins and source engine from `manifest`, tables as ended).
  virtual void finish(DatasetManifest manifest) = 0;
};

class DatasetReader {
 public:
  virtual ~DatasetReader() = default;
  // Opens and checks dataset.json (schema, bounds, file names); throws std::runtime_error with
  // the path and a JSON pointer for what is wrong.
  //
  // A .migdata that is an age file (told by its first bytes) needs `age` (which must outlive
  // the reader); the whole file is decrypted and every chunk authenticated here, before any row
  // can be read, and decrypted again by each later pass (docs/data.md says what it costs).
  static std::unique_ptr<DatasetReader> open(const std::string& path,
                                             const crypto::AgeDecryptWith* age = nullptr);
  // Whether the data set at `path` is an age-encrypted .migdata.
  static bool is_encrypted(const std::string& path);
  virtual const DatasetManifest& manifest() const = 0;
  // Checks the table file's size and SHA-256 against the manifest, then streams its rows
  // (portable form, columns in the manifest's order) in batches of at most batch_rows,
  // skipping the first `skip_rows` (resume). A malformed row throws std::runtime_error naming
  // file and line (and the column).
  virtual void read_rows(const std::string& table, std::uint64_t skip_rows, std::size_t batch_rows,
                         const std::function<void(std::vector<Row>)>& sink) = 0;
};

}  // namespace migpkg::data
