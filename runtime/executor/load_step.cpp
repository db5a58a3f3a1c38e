#include "runtime/executor/load_step.hpp"

#include "compiler/load/data_file.hpp"
#include "compiler/util/file_text.hpp"
#include "compiler/util/sha256.hpp"
#include "runtime/data/file_columns.hpp"
#include "runtime/data/record_splitter.hpp"
#include "runtime/data/row_codec.hpp"
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {
namespace {

// Rows handed to the engine at a time: memory is bounded by the batch (and the file, which is
// bounded by kMaxLoadFileBytes), and a failing batch is short enough to find its row in.
constexpr std::size_t kBatchRows = 1000;

data::OnConflict conflict_of(const std::string& name) {
  if (name == "skip") return data::OnConflict::Skip;
  if (name == "overwrite") return data::OnConflict::Overwrite;
  if (name == "merge") return data::OnConflict::Merge;
  return data::OnConflict::Fail;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Batch {
  std::vector<data::Row> rows;
  std::vector<std::uint64_t> lines;
};

class Loader {
 public:
  Loader(Connection& c, const plan::Step& step, const data::DataTable& table,
         std::vector<std::string> columns)
      : c_(c),
        step_(step),
        table_(table),
        columns_(std::move(columns)),
        conflict_(conflict_of(step.load->on_conflict)) {}

  void write(Batch& batch) {
    if (batch.rows.empty()) return;
    try {
      engine_of(c_).write_data(c_, table_, columns_, batch.rows, conflict_);
    } catch (const data::ValueError& e) {
      // Nothing of the batch was sent: find the row by writing the rows one at a time.
      for (std::size_t i = 0; i < batch.rows.size(); ++i) {
        try {
          engine_of(c_).write_data(c_, table_, columns_, {batch.rows[i]}, conflict_);
        } catch (const data::ValueError& one) {
          fail("line " + std::to_string(batch.lines[i]) + ": " + one.what());
        }
      }
      fail(std::string("line ") + std::to_string(batch.lines.front()) + " or after: " + e.what());
    } catch (const DatabaseError& e) {
      fail("a row of lines " + std::to_string(batch.lines.front()) + "-" +
           std::to_string(batch.lines.back()) + ": " + e.what());
    }
    batch.rows.clear();
    batch.lines.clear();
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw StepFailure(step_.id, "", step_.load->file + ": " + what);
  }

 private:
  Connection& c_;
  const plan::Step& step_;
  const data::DataTable& table_;
  std::vector<std::string> columns_;
  data::OnConflict conflict_;
};

}  // namespace

std::string load_file_beside_sources(const plan::Step& step) {
  const std::string& source = step.source.file.str();
  std::size_t slash = source.rfind('/');
  std::string directory = slash == std::string::npos ? "." : source.substr(0, slash);
  std::string path = directory + "/" + step.load->file;
  FileText file = read_file_text(path, kMaxLoadFileBytes);
  if (file.error)
    throw StepFailure(
        step.id, "",
        "cannot read the data file " + path +
            (*file.error == FileTextError::TooLarge ? " (larger than the limit)" : ""));
  return std::move(file.text);
}

void run_load_step(Connection& connection, const plan::Step& step, const RunOptions& options) {
  const plan::LoadInfo& info = *step.load;
  std::string content =
      options.load_file ? options.load_file(step) : load_file_beside_sources(step);
  // Before a row is read: a file that is not the one compiled is refused whole.
  std::string hash = sha256_hex(content);
  if (hash != info.sha256)
    throw StepFailure(step.id, "",
                      info.file + " has SHA-256 " + hash + " but the plan expects " + info.sha256 +
                          ": the data file changed after the migration was compiled; nothing "
                          "was loaded");
  const Engine& engine = engine_of(connection);
  std::optional<data::DataTable> table;
  try {
    table = engine.data_table(connection, info.table);
  } catch (const DatabaseError& e) {
    throw StepFailure(step.id, e.sql(), e.what());
  } catch (const std::runtime_error& e) {
    throw StepFailure(step.id, "", std::string("table ") + info.table + ": " + e.what());
  }
  if (!table)
    throw StepFailure(step.id, "", "cannot load " + info.file + ": no table " + info.table);
  // The file is read as a data set's table file is (runtime/data: the same decoders and value
  // rules, bytes in base64), holding the columns its first record names.
  const data::FileFormat format =
      ends_with(info.file, ".csv") ? data::FileFormat::Csv : data::FileFormat::Ndjson;
  try {
    std::optional<data::DataTable> file_table;
    std::unique_ptr<data::RowDecoder> decoder;
    std::optional<Loader> loader;
    Batch batch;
    data::RecordSplitter splitter(
        [&](std::string_view record, std::uint64_t line) {
          if (!decoder) {
            file_table = data::column_subset(
                *table, data::file_columns(format, record, line, info.file), line, info.file);
            // A timestamp column's value goes to the engine as the file spells it: MySQL keeps
            // a migration's timestamptz as DATETIME, which it reports as a timestamp, and
            // takes an offset there as the instant in UTC (the compiler held the file to the
            // declared types); the engine's write checks every timestamp all the same.
            ir::ColumnType as_written;  // text
            for (data::DataColumn& column : file_table->columns)
              if (column.type.kind == ir::ColumnType::Kind::Timestamp) column.type = as_written;
            decoder = data::make_row_decoder(format, *file_table, info.file);
            std::vector<std::string> columns;
            for (const auto& column : file_table->columns) columns.push_back(column.name);
            loader.emplace(connection, step, *table, std::move(columns));
            if (decoder->has_header()) return decoder->read_header(record, line);
          }
          batch.rows.emplace_back();
          decoder->read_row(record, line, batch.rows.back());
          batch.lines.push_back(line);
          if (batch.rows.size() == kBatchRows) loader->write(batch);
        },
        format == data::FileFormat::Csv, kMaxLoadFileBytes, info.file);
    splitter.feed(content.data(), content.size());
    splitter.finish();
    if (!decoder && format == data::FileFormat::Csv)
      throw StepFailure(
          step.id, "",
          info.file + ":1: the CSV file is empty: it needs a header line naming the columns");
    if (loader) loader->write(batch);
    bool generated = false;
    for (const auto& column : table->columns) generated = generated || column.generated;
    // The application's next insert must not collide with a loaded key.
    if (generated) engine.reset_identity(connection, *table);
  } catch (const data::DecodeError& e) {
    throw StepFailure(step.id, "", e.what());
  } catch (const DatabaseError& e) {
    throw StepFailure(step.id, e.sql(), e.what());
  }
}

}  // namespace migpkg::runtime
