// export, import and copy: the data runs (runtime/data/) as the commands and operations run
// them, under the run lock with an audit row for those that write.
#include <algorithm>
#include <climits>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "api/api_support.hpp"
#include "include/migpkg/operations.hpp"
#include "runtime/data/data_mapping.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/export_run.hpp"
#include "runtime/data/move_ends.hpp"
#include "runtime/data/move_report_json.hpp"
#include "runtime/data/move_run.hpp"

namespace migpkg::api {
namespace {

int lock_wait_ms(const RunOptions& options) {
  return std::min(options.lock_timeout_seconds, INT_MAX / 1000) * 1000;
}

data::OnConflict on_conflict_of(OnConflict mode) {
  switch (mode) {
    case OnConflict::Fail:
      return data::OnConflict::Fail;
    case OnConflict::Skip:
      return data::OnConflict::Skip;
    case OnConflict::Overwrite:
      return data::OnConflict::Overwrite;
    case OnConflict::Merge:
      return data::OnConflict::Merge;
  }
  return data::OnConflict::Fail;
}

void read_move_options(const MoveOptions& move, const RunOptions& options,
                       data::MoveRequest& request) {
  request.plugins = move.plugins;
  request.tables = move.tables;
  request.on_conflict = on_conflict_of(move.on_conflict);
  request.batch_rows = move.batch_rows;
  request.dry_run = move.dry_run;
  request.where = move.where;
  request.map_file = move.map_file;
  request.lenient = move.lenient;
  request.rejects_path = move.rejects_path;
  if (move.lenient && move.rejects_path.empty())
    throw std::invalid_argument("lenient needs rejects_path (where the refused rows go)");
  if (!move.lenient && !move.rejects_path.empty())
    throw std::invalid_argument(
        "rejects_path goes with lenient (strict runs stop at the first refused row)");
  if (options.on_progress) {
    auto progress = options.on_progress;
    request.progress = [progress](const data::MoveProgress& p) {
      progress({"rows", p.rows_done, p.rows_total, p.table});
    };
  }
  if (options.cancel) {
    const CancelToken* token = options.cancel;
    request.cancel_requested = [token] { return token->cancelled(); };
  }
}

void fill_move_result(MoveResult& out, const data::MoveReport& report) {
  out.json = data::move_report_json(report).dump(2, ' ', false,
                                                 nlohmann::ordered_json::error_handler_t::replace);
  out.dry_run = report.dry_run;
  out.resumed = report.resumed;
  out.created = report.created;
  out.notes = report.notes;
  out.status = report.ok ? Status::Ok : report.cancelled ? Status::Cancelled : Status::Failed;
  out.exit_code = data::move_exit_code(report);
  if (!report.ok) out.problems.push_back(report.error);
  for (const data::TableResult& t : report.tables)
    out.tables.push_back({t.source_table, t.target_table, t.rows_read, t.rows_written, t.rejects,
                          t.verified, t.source_rows, t.target_rows, t.already_done,
                          t.resumed_after});
}

}  // namespace

ExportResult export_data(const ExportRequest& request, const RunOptions& options) {
  return detail::guarded<ExportResult>([&](ExportResult& out) {
    data::ExportRequest e;
    e.database = request.database;
    e.output = request.output;
    e.format = request.csv ? data::FileFormat::Csv : data::FileFormat::Ndjson;
    e.compression = request.zstd ? data::Compression::Zstd : data::Compression::None;
    e.plugins = request.plugins;
    if (!request.tables.empty()) e.tables = request.tables;
    e.where = request.where;
    const auto& out_path = request.output;
    auto ends_with = [&out_path](const std::string& end) {
      return out_path.size() > end.size() &&
             out_path.compare(out_path.size() - end.size(), end.size(), end) == 0;
    };
    if (!request.encrypt_to.empty() && !ends_with(".migdata") && !ends_with(".migdata.age"))
      throw data::ExportRefused(
          "only a .migdata file can be encrypted, not a directory: name the output "
          "NAME.migdata (or NAME.migdata.age)");
    auto encrypt_to = detail::age_encrypt_to(request.encrypt_to, "encrypt_to");
    e.encrypt_to = encrypt_to.get();
    std::uint64_t before = 0;  // rows of the tables finished before
    e.progress = [&](const std::string& table, std::uint64_t rows, bool finished) {
      if (options.on_progress) options.on_progress({"rows", before + rows, 0, table, finished});
      if (finished) {
        before += rows;
        if (options.on_log) options.on_log("  " + table + ": " + std::to_string(rows) + " rows");
      }
    };
    if (options.cancel) {
      const CancelToken* token = options.cancel;
      e.cancel_requested = [token] { return token->cancelled(); };
    }
    try {
      data::ExportReport report = data::run_export(e);
      out.json = data::export_report_json(report).dump(2);
      out.output = report.output;
      out.rows = report.rows;
      for (const data::ExportedTable& t : report.tables)
        out.tables.push_back({t.table.table.name, t.table.file, t.table.rows, t.table.bytes});
    } catch (const data::ExportCancelled& stopped) {
      // Nothing is left at the output.
      out.status = Status::Cancelled;
      out.exit_code = detail::exit_code_of(out.status);
      out.problems.push_back(stopped.what());
    }
  });
}

MoveResult import_data(const ImportRequest& request, const RunOptions& options) {
  return detail::guarded<MoveResult>([&](MoveResult& out) {
    data::ImportRequest import;
    read_move_options(request.move, options, import);
    import.input = request.input;
    import.db_url = request.database;
    auto age = detail::age_decrypt_with(request.decrypt_with, "decrypt_with");
    import.age = age.get();
    // A bad data set is refused before the target is opened, as the command does (an encrypted
    // one is decrypted and authenticated to its last byte).
    data::DatasetReader::open(request.input, import.age);
    if (!import.map_file.empty()) data::DataMapping::read(import.map_file);
    runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(request.database);
    auto target = data::open_move_target(url, request.move.dry_run, lock_wait_ms(options));
    data::MoveActor who{detail::actor_of(options),
                        detail::audit_command_line(options, "import " + request.input),
                        options.lock_timeout_seconds};
    data::MoveReport report =
        data::run_locked_move(*target, url, "import", who, request.move.dry_run,
                              [&] { return data::run_import(*target, import); });
    fill_move_result(out, report);
  });
}

MoveResult copy_data(const CopyRequest& request, const RunOptions& options) {
  return detail::guarded<MoveResult>([&](MoveResult& out) {
    data::CopyRequest copy;
    read_move_options(request.move, options, copy);
    copy.from_url = request.from;
    copy.to_url = request.to;
    copy.create = request.create;
    runtime::DatabaseUrl::parse(request.from);
    runtime::DatabaseUrl to_url = runtime::DatabaseUrl::parse(request.to);
    if (runtime::redact_password(request.from) == runtime::redact_password(request.to))
      throw std::invalid_argument("copy: from and to name the same database");
    if (!copy.map_file.empty()) data::DataMapping::read(copy.map_file);  // before opening
    auto source = data::open_copy_source(request.from, request.to);
    auto target = data::open_move_target(to_url, request.move.dry_run, lock_wait_ms(options));
    data::MoveActor who{detail::actor_of(options),
                        detail::audit_command_line(
                            options, "copy --from " + runtime::redact_password(request.from)),
                        options.lock_timeout_seconds};
    data::MoveReport report =
        data::run_locked_move(*target, to_url, "copy", who, request.move.dry_run,
                              [&] { return data::run_copy(*source, *target, copy); });
    fill_move_result(out, report);
  });
}

}  // namespace migpkg::api
