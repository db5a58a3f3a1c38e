// The read-only routes: each builds the arguments of the CLI command it answers for and calls
// the same report function as that command's --json (cli/report_json.hpp), so options are checked
// by the same rules and the JSON is the same.
#include <httplib.h>

#include <map>

#include "cli/commands.hpp"
#include "cli/package_report.hpp"
#include "cli/report_json.hpp"
#include "runtime/package/package_verifier.hpp"
#include "runtime/package/trust_store.hpp"
#include "serve/package_source.hpp"
#include "serve/read_routes.hpp"
#include "serve/status_page.hpp"

namespace migpkg::serve {
namespace {

using access::Role;

// `command`'s arguments: --db, then each query parameter that `allowed` lists as --NAME=VALUE
// (one word, so a value starting with '-' stays a value). A parameter not listed is a 400.
cli::Arguments command_arguments(const ServeState& state, const std::string& command,
                                 const httplib::Request& request,
                                 const std::vector<std::string>& allowed) {
  std::vector<std::string> words = {"--db=" + state.options.database};
  if (command == "backups" && !state.options.backup_dir.empty())
    words.push_back("--backup-dir=" + state.options.backup_dir);
  for (const auto& [name, value] : request.params) {
    bool known = false;
    for (const auto& a : allowed) known = known || a == name;
    if (!known) throw cli::UsageError("unknown query parameter '" + name + "' for " + request.path);
    words.push_back("--" + name + "=" + value);
  }
  for (const auto& c : cli::commands())
    if (c.spec.name == command) return cli::Arguments::parse(c.spec, words);
  throw std::logic_error("no command " + command);
}

}  // namespace

void add_read_routes(httplib::Server& server, ServeState& state) {
  add_route(server, state, "GET", "/healthz", std::nullopt,
            [](const httplib::Request&, httplib::Response& res, const Caller&) {
              send_json(res, R"({"status":"ok"})");
            });
  add_route(server, state, "GET", "/", std::nullopt,
            [](const httplib::Request&, httplib::Response& res, const Caller&) {
              res.set_header("Content-Security-Policy",
                             "default-src 'none'; script-src 'unsafe-inline'; style-src "
                             "'unsafe-inline'; connect-src 'self'");
              res.set_content(status_page_html(), "text/html; charset=utf-8");
            });
  add_route(
      server, state, "GET", "/status", Role::viewer,
      [&state](const httplib::Request& req, httplib::Response& res, const Caller&) {
        const cli::Arguments args = command_arguments(state, "status", req, {});
        send_json(
            res,
            state.readers->read([&](runtime::Connection* c) { return cli::status_report(args, c); })
                .dump());
      });
  add_route(server, state, "GET", "/history", Role::viewer,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller&) {
              const cli::Arguments args = command_arguments(state, "history", req, {"plugin"});
              send_json(res, state.readers
                                 ->read([&](runtime::Connection* c) {
                                   return cli::history_report(args, c);
                                 })
                                 .dump());
            });
  add_route(
      server, state, "GET", "/audit", Role::viewer,
      [&state](const httplib::Request& req, httplib::Response& res, const Caller&) {
        const cli::Arguments args =
            command_arguments(state, "audit", req, {"plugin", "since", "limit"});
        send_json(
            res,
            state.readers->read([&](runtime::Connection* c) { return cli::audit_report(args, c); })
                .dump());
      });
  add_route(server, state, "GET", "/backups", Role::viewer,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller&) {
              const cli::Arguments args = command_arguments(state, "backups", req, {});
              send_json(res, state.readers
                                 ->read([&](runtime::Connection* c) {
                                   return cli::backups_report(args, c);
                                 })
                                 .dump());
            });
  add_route(server, state, "GET", "/metrics", Role::viewer,
            [&state](const httplib::Request&, httplib::Response& res, const Caller&) {
              std::string text = state.metrics.prometheus_text();
              if (state.operations) {
                std::map<std::pair<std::string, std::string>, int> counts;
                for (const auto& r : state.operations->list())
                  ++counts[{r.kind, operations::to_string(r.state)}];
                text +=
                    "# HELP migpkg_operations Operations this server knows (its history "
                    "included), by kind and state.\n# TYPE migpkg_operations gauge\n";
                for (const auto& [key, count] : counts)
                  text += "migpkg_operations{kind=\"" + key.first + "\",state=\"" + key.second +
                          "\"} " + std::to_string(count) + "\n";
              }
              res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
            });
  add_route(server, state, "POST", "/verify", Role::viewer,
            [&state](const httplib::Request& req, httplib::Response& res, const Caller&) {
              PackageSource source(req, state.options.packages_dir);
              package::TrustStore trust = package::TrustStore::load(package::trust_location(
                  state.options.trust.empty() ? std::nullopt
                                              : std::optional<std::string>(state.options.trust)));
              package::VerifiedPackage v = package::verify_package_file(source.path(), &trust);
              send_json(res, cli::verify_json(source.display_name(), v).dump());
            });
}

}  // namespace migpkg::serve
