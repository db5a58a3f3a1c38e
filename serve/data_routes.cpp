// The routes that move data or restore a backup, as operations of the registry with the token's
// name as the actor: export (operator) writes a data set into --data-dir; import, copy and
// restore (admin) write into a database. Every file a body names is a plain name inside the
// directory the server was given for it (named_file.hpp). Each answers 202 with the operation;
// its result is the command's --json report (export-report, import-report, copy-report,
// run-report).
#include <nlohmann/json.hpp>

#include "cli/arguments.hpp"
#include "runtime/data/move_run.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/operations/operation_kinds.hpp"
#include "serve/data_routes.hpp"
#include "serve/named_file.hpp"
#include "serve/problem.hpp"
#include "serve/request_body.hpp"

namespace migpkg::serve {
namespace {

using access::Role;
using nlohmann::json;

const std::vector<std::string> kMoveMembers = {"plugins", "tables", "onConflict", "batchRows",
                                               "dryRun"};

operations::MoveOperationOptions move_options(const json& body) {
  operations::MoveOperationOptions o;
  o.plugins = text_list_member(body, "plugins");
  o.tables = text_list_member(body, "tables");
  if (const std::string mode = text_member(body, "onConflict", false); !mode.empty()) {
    try {
      o.on_conflict = data::parse_on_conflict(mode);
    } catch (const std::invalid_argument& e) {
      throw cli::UsageError(std::string("/onConflict: ") + e.what());
    }
  }
  o.batch_rows = static_cast<std::size_t>(number_member(body, "batchRows", 10000, 1, 1000000));
  o.dry_run = flag_member(body, "dryRun");
  return o;
}

std::vector<std::string> with(std::vector<std::string> members,
                              const std::vector<std::string>& more) {
  members.insert(members.end(), more.begin(), more.end());
  return members;
}

operations::CopyOperationRequest copy_request(const ServeState& state, const json& body) {
  operations::CopyOperationRequest r;
  const std::string from = text_member(body, "from", false), to = text_member(body, "to", false);
  if (from.empty() == to.empty())
    throw cli::UsageError(
        "give one of /from (copy into the server's database) and /to (copy out of it)");
  const std::string& dir = state.options.data_dir;
  r.from = from.empty() ? state.options.database
                        : request_database_url(from, dir, Existence::must_exist);
  r.to = to.empty() ? state.options.database : request_database_url(to, dir, Existence::either);
  r.create = flag_member(body, "create");
  r.move = move_options(body);
  return r;
}

operations::ImportOperationRequest import_request(const ServeState& state, const json& body) {
  operations::ImportOperationRequest r;
  r.database = state.options.database;
  r.input = path_in_directory(state.options.data_dir, "--data-dir",
                              text_member(body, "input", true), "data set", Existence::must_exist);
  r.move = move_options(body);
  return r;
}

operations::ExportOperationRequest export_request(const ServeState& state, const json& body) {
  operations::ExportOperationRequest r;
  r.database = state.options.database;
  r.output =
      path_in_directory(state.options.data_dir, "--data-dir", text_member(body, "output", true),
                        "data set", Existence::must_not_exist);
  r.plugins = text_list_member(body, "plugins");
  r.tables = text_list_member(body, "tables");
  const std::string format = text_member(body, "format", false);
  if (!format.empty() && format != "ndjson" && format != "csv")
    throw cli::UsageError("/format: ndjson or csv, not '" + format + "'");
  r.csv = format == "csv";
  const std::string compression = text_member(body, "compression", false);
  if (!compression.empty() && compression != "none" && compression != "zstd")
    throw cli::UsageError("/compression: none or zstd, not '" + compression + "'");
  r.zstd = compression == "zstd";
  return r;
}

operations::RestoreOperationRequest restore_request(const ServeState& state, const json& body) {
  operations::RestoreOperationRequest r;
  r.database = state.options.database;
  std::string dir = state.options.backup_dir;
  if (dir.empty()) {
    const runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(state.options.database);
    dir = runtime::engine_of(url).default_backup_directory(url);
  }
  r.backup = path_in_directory(dir, "--backup-dir", text_member(body, "backup", true), "backup",
                               Existence::must_exist);
  return r;
}

void send_submitted(ServeState& state, httplib::Response& res, const std::string& id) {
  auto record = state.operations->get(id);
  res.set_header("Location", "/operations/" + id);
  send_json(res, record->to_json(), 202);
}

}  // namespace

void add_data_routes(httplib::Server& server, ServeState& state) {
  add_route(
      server, state, "POST", "/operations/export", Role::operator_,
      [&state](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
        auto body = request_body(req, {"output", "plugins", "tables", "format", "compression"});
        send_submitted(
            state, res,
            operations::submit_export(*state.operations, caller.name, export_request(state, body)));
      });
  add_route(server, state, "POST", "/operations/import", Role::admin,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
              auto body = request_body(req, with(kMoveMembers, {"input"}));
              send_submitted(state, res,
                             operations::submit_import(*state.operations, caller.name,
                                                       import_request(state, body)));
            });
  add_route(server, state, "POST", "/operations/copy", Role::admin,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
              auto body = request_body(req, with(kMoveMembers, {"from", "to", "create"}));
              send_submitted(state, res,
                             operations::submit_copy(*state.operations, caller.name,
                                                     copy_request(state, body)));
            });
  add_route(server, state, "POST", "/operations/restore", Role::admin,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
              auto body = request_body(req, {"backup"});
              send_submitted(state, res,
                             operations::submit_restore(*state.operations, caller.name,
                                                        restore_request(state, body)));
            });
}

}  // namespace migpkg::serve
