// A data set on arbitrary bytes. The first byte chooses what the rest is:
//   even: a whole .migdata tar, opened with DatasetReader (dataset.json's bounds, member rules,
//         sizes and SHA-256) and every table's rows read;
//   odd:  dataset.json, a NUL byte, then a table file: the manifest parser, then the record
//         splitter and row decoder (NDJSON or CSV, as the manifest's first table says) on the
//         file, so the fuzzer reaches the decoders without forging a SHA-256.
// Refusals are std::runtime_error naming the file (runtime/data/dataset.hpp); anything else is
// a finding. The tar goes through a file because the reader takes a path (it is untrusted input
// on disk in real use too).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "fuzz_targets.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/dataset_manifest.hpp"
#include "runtime/data/record_splitter.hpp"
#include "runtime/data/row_codec.hpp"

namespace migpkg::fuzz {
namespace {

class ScratchFile {
 public:
  ScratchFile() : path_("/tmp/migpkg-fuzz-" + std::to_string(::getpid()) + "-dataset.migdata") {}
  ~ScratchFile() { std::remove(path_.c_str()); }
  const std::string& write(std::string_view bytes) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path_;
  }

 private:
  std::string path_;
};

void read_migdata(std::string_view bytes) {
  static ScratchFile scratch;
  auto reader = data::DatasetReader::open(scratch.write(bytes));
  for (const auto& table : reader->manifest().tables)
    reader->read_rows(table.table.name, 0, 64, [](std::vector<data::Row>) {});
}

void decode_table_file(std::string_view bytes) {
  std::size_t nul = bytes.find('\0');
  if (nul == std::string_view::npos) return;
  auto manifest = data::parse_manifest(std::string(bytes.substr(0, nul)), "dataset.json");
  if (manifest.tables.empty()) return;
  const auto& table = manifest.tables.front();
  auto decoder = data::make_row_decoder(table.format, table.table, table.file);
  bool header_due = decoder->has_header();
  data::Row row;
  data::RecordSplitter splitter(
      [&](std::string_view record, std::uint64_t line) {
        if (header_due) {
          header_due = false;
          decoder->read_header(record, line);
        } else {
          decoder->read_row(record, line, row);
        }
      },
      table.format == data::FileFormat::Csv, 1u << 20, table.file);
  std::string_view file = bytes.substr(nul + 1);
  splitter.feed(file.data(), file.size());
  splitter.finish();
}

}  // namespace

void fuzz_dataset_reader(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0)
      read_migdata(rest);
    else
      decode_table_file(rest);
  } catch (const std::runtime_error&) {
  }
}

}  // namespace migpkg::fuzz
