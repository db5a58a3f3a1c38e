// The routes that run work: as operations of the registry (runtime/operations/), whose work
// functions call the same library functions as the commands, with the token's name as the
// actor (applied_by). POST /plan waits for its operation and answers the run report; install and
// rollback answer 202 with the operation, to be followed at /operations/{id}.
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "cli/arguments.hpp"
#include "runtime/operations/operation_kinds.hpp"
#include "serve/operation_routes.hpp"
#include "serve/package_source.hpp"
#include "serve/package_upload.hpp"
#include "serve/problem.hpp"
#include "serve/request_body.hpp"

namespace migpkg::serve {
namespace {

using access::Role;
using nlohmann::json;

const std::vector<std::string> kInstallMembers = {"package", "to", "allowDowngrade", "noBackup"};
const std::vector<std::string> kRollbackMembers = {"plugin", "to",     "steps",
                                                   "all",    "dryRun", "noBackup"};

// `uploaded`: the path of a package sent as the body; "" = the body names one of --packages.
operations::InstallOperationRequest install_request(const ServeState& state, const json& body,
                                                    bool dry_run,
                                                    const std::string& uploaded = "") {
  operations::InstallOperationRequest r;
  r.database = state.options.database;
  r.inputs = {uploaded.empty() ? resolve_package_name(state.options.packages_dir,
                                                      text_member(body, "package", true))
                               : uploaded};
  if (!state.options.trust.empty()) r.trust = state.options.trust;
  r.to = text_member(body, "to", false);
  r.dry_run = dry_run;
  r.allow_downgrade = flag_member(body, "allowDowngrade");
  r.no_backup = flag_member(body, "noBackup");
  r.backup_directory = state.options.backup_dir;
  return r;
}

operations::RollbackOperationRequest rollback_request(const ServeState& state, const json& body) {
  operations::RollbackOperationRequest r;
  r.database = state.options.database;
  r.plugin = text_member(body, "plugin", true);
  const std::string to = text_member(body, "to", false);
  const bool all = flag_member(body, "all");
  auto steps = body.find("steps");
  const bool has_steps = steps != body.end() && !steps->is_null();
  if ((to.empty() ? 0 : 1) + (all ? 1 : 0) + (has_steps ? 1 : 0) > 1)
    throw cli::UsageError("give at most one of /to, /steps and /all");
  if (!to.empty()) {
    r.target.kind = runtime::RollbackTarget::Kind::ToVersion;
    r.target.version = to;
  } else if (all) {
    r.target.kind = runtime::RollbackTarget::Kind::All;
  } else if (has_steps) {
    if (!steps->is_number_integer() || steps->get<long long>() < 1 ||
        steps->get<long long>() > 1000000)
      throw cli::UsageError("/steps: expected a number of migrations from 1");
    r.target.kind = runtime::RollbackTarget::Kind::Steps;
    r.target.steps = static_cast<int>(steps->get<long long>());
  }
  r.dry_run = flag_member(body, "dryRun");
  r.no_backup = flag_member(body, "noBackup");
  r.backup_directory = state.options.backup_dir;
  return r;
}

bool is_upload(const httplib::Request& request) {
  return request.get_header_value("Content-Type").rfind("application/octet-stream", 0) == 0;
}

// The options of an uploaded package's install, from the query (the body is the package).
json upload_options(const httplib::Request& request) {
  json out = json::object();
  for (const auto& [name, value] : request.params) {
    if (name == "to") {
      out["to"] = value;
    } else if (name == "allowDowngrade" || name == "noBackup") {
      if (value != "true" && value != "false")
        throw cli::UsageError(name + " takes true or false, not '" + value + "'");
      out[name] = value == "true";
    } else {
      throw cli::UsageError("unknown query parameter '" + name +
                            "' for an uploaded package (to, allowDowngrade, noBackup)");
    }
  }
  return out;
}

std::shared_ptr<UploadedPackage> upload(const ServeState& state, const httplib::Request& req) {
  return std::make_shared<UploadedPackage>(req.body,
                                           uploads_directory(state.options.operations_file),
                                           server_trust(state.options.trust));
}

// The status a finished operation's problem answers with when the request waited for it.
int problem_status(const std::string& code) {
  if (code == "usage") return 400;
  if (code == "refused") return 422;
  if (code == "locked" || code == "drift") return 409;
  if (code == "cancelled" || code == "interrupted") return 503;
  return 500;
}

void send_record(httplib::Response& res, const operations::OperationRecord& record, int status) {
  res.set_header("Location", "/operations/" + record.id);
  send_json(res, record.to_json(), status);
}

// Who may cancel: the role that may start an operation of the kind.
Role role_for_kind(const std::string& kind) {
  return kind == "install" || kind == "plan" || kind == "export" ? Role::operator_ : Role::admin;
}

}  // namespace

void add_operation_routes(httplib::Server& server, ServeState& state) {
  add_route(
      server, state, "POST", "/plan", Role::operator_,
      [&state](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
        // An uploaded package is kept while the plan runs, removed when the handler returns.
        std::shared_ptr<UploadedPackage> uploaded = is_upload(req) ? upload(state, req) : nullptr;
        auto request = uploaded
                           ? install_request(state, upload_options(req), true, uploaded->path())
                           : install_request(state, request_body(req, kInstallMembers), true);
        const std::string id = operations::submit_install(*state.operations, caller.name, request);
        auto record = state.operations->wait(id, std::chrono::minutes(10));
        if (!record || !operations::is_finished(record->state))
          throw std::runtime_error("the plan did not finish in 10 minutes (operation " + id + ")");
        if (record->problem)
          return send_problem(res, {problem_status(record->problem->code), record->problem->code,
                                    record->problem->message});
        send_json(res, record->result_json);
      });
  add_route(server, state, "POST", "/operations/install", Role::operator_,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
              if (!is_upload(req)) {
                auto request = install_request(state, request_body(req, kInstallMembers), false);
                const std::string id =
                    operations::submit_install(*state.operations, caller.name, request);
                return send_record(res, *state.operations->get(id), 202);
              }
              // The work owns the uploaded file: it goes when the work is dropped, after the run
              // or when the operation is cancelled while pending.
              std::shared_ptr<UploadedPackage> uploaded = upload(state, req);
              auto request = install_request(state, upload_options(req), false, uploaded->path());
              operations::OperationWork install = operations::install_work(request, caller.name);
              const std::string id = state.operations->submit(
                  "install", caller.name, operations::request_json(request),
                  [install = std::move(install), uploaded](operations::OperationContext& ctx) {
                    return install(ctx);
                  });
              send_record(res, *state.operations->get(id), 202);
            });
  add_route(server, state, "POST", "/operations/rollback", Role::admin,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
              auto request = rollback_request(state, request_body(req, kRollbackMembers));
              const std::string id =
                  operations::submit_rollback(*state.operations, caller.name, request);
              send_record(res, *state.operations->get(id), 202);
            });
  add_route(server, state, "GET", "/operations", Role::viewer,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller&) {
              if (!req.params.empty())
                throw cli::UsageError("unknown query parameter '" + req.params.begin()->first +
                                      "' for /operations");
              std::string out = "[";
              for (const auto& record : state.operations->list())
                out += (out.size() > 1 ? "," : "") + record.to_json();
              send_json(res, out + "]");
            });
  add_route(server, state, "GET", "/operations/{id}", Role::viewer,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller&) {
              auto record = state.operations->get(req.matches[1]);
              if (!record)
                return send_problem(
                    res, {404, "not-found", "no operation '" + req.matches[1].str() + "'"});
              send_record(res, *record, 200);
            });
  add_route(server, state, "DELETE", "/operations/{id}", Role::operator_,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller& caller) {
              const std::string id = req.matches[1];
              auto record = state.operations->get(id);
              if (!record)
                return send_problem(res, {404, "not-found", "no operation '" + id + "'"});
              const Role needed = role_for_kind(record->kind);
              if (!access::allows(caller.role, needed)) {
                if (state.denied) state.denied->record(caller.name, 403, "DELETE /operations/{id}");
                return send_problem(
                    res, {403, "forbidden",
                          "cancelling a " + record->kind + " operation needs the " +
                              access::to_string(needed) + " role; the token '" + caller.name +
                              "' has " + access::to_string(caller.role)});
              }
              switch (state.operations->cancel(id)) {
                case operations::CancelResult::not_found:
                  return send_problem(res, {404, "not-found", "no operation '" + id + "'"});
                case operations::CancelResult::already_finished:
                  return send_problem(res, {409, "finished",
                                            "operation '" + id + "' has finished (" +
                                                operations::to_string(record->state) + ")"});
                case operations::CancelResult::requested:
                  send_record(res, *state.operations->get(id), 202);
              }
            });
}

}  // namespace migpkg::serve
