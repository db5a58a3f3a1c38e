#include "serve/server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <thread>

#include "serve/data_routes.hpp"
#include "serve/guarded_route.hpp"
#include "serve/operation_routes.hpp"
#include "serve/package_upload.hpp"
#include "serve/problem.hpp"
#include "serve/read_routes.hpp"

namespace migpkg::serve {
namespace {

// cpp-httplib 0.11.4's defaults, and what is set instead: it accepts bodies of any size
// (SIZE_MAX), keeps 5 requests per connection, waits 5 s to read and write and 300 s to
// connect, and runs max(8, cores - 1) threads. Its request line and header lines are limited
// to 8192 bytes each at its build time (CPPHTTPLIB_REQUEST_URI_MAX_LENGTH, _HEADER_MAX_LENGTH).
void set_limits(httplib::Server& server, const ServeOptions& options) {
  server.set_payload_max_length(options.max_body);
  server.set_keep_alive_max_count(1000);
  server.set_keep_alive_timeout(5);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  server.set_tcp_nodelay(true);
  const std::size_t threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
}

// Answers cpp-httplib's own refusals (404 no route, 413 body too large, 400 unreadable
// request, ...) and any response without a body as problem details, and counts them.
void set_problem_handlers(httplib::Server& server, ServeState& state) {
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [&state](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string code = res.status == 404   ? "not-found"
                           : res.status == 413 ? "too-large"
                                               : "bad-request";
        std::string detail = res.status == 404 ? "no route " + req.method + " " + req.path
                             : res.status == 413
                                 ? "the body is larger than the server's --max-body (" +
                                       std::to_string(state.options.max_body) + " bytes)"
                                 : "the request could not be read";
        send_problem(res, {res.status, code, detail});
        state.metrics.record("other", req.method, res.status, 0);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        send_problem(res, problem_from_exception(error));
      });
}

}  // namespace

int run_server(const ServeOptions& options) {
  // SIGTERM and SIGINT are taken by one thread with sigwait, so the stop happens outside a
  // signal handler; blocked here, before any thread starts, so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  ServeState state;
  state.options = options;
  state.tokens = access::TokenFile::load(options.tokens_path);
  if (state.tokens.entries().empty())
    std::cerr << "migpkg serve: warning: " << options.tokens_path
              << " holds no tokens: every request but /healthz and / is refused "
                 "(migpkg token add NAME --role viewer --tokens "
              << options.tokens_path << ")\n";
  DeniedAudit denied(options.database, options.audit_interval);
  state.denied = &denied;
  operations::OperationRegistry registry(options.operations_file);
  for (const auto& note : registry.notes())
    std::cerr << "migpkg serve: " << options.operations_file << ": " << note << "\n";
  state.operations = &registry;
  ReadConnections readers(options.database, options.threads);
  state.readers = &readers;
  prepare_uploads_directory(uploads_directory(options.operations_file));

  httplib::Server server;
  set_limits(server, options);
  set_problem_handlers(server, state);
  add_read_routes(server, state);
  add_operation_routes(server, state);
  add_data_routes(server, state);

  const int port = options.port == 0
                       ? server.bind_to_any_port(options.host)
                       : (server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port <= 0) {
    std::cerr << "migpkg serve: error: cannot listen on " << options.host << ":" << options.port
              << " (in use, or not an address of this machine)\n";
    return 1;
  }
  const bool v6 = options.host.find(':') != std::string::npos;
  std::cout << "listening on http://" << (v6 ? "[" + options.host + "]" : options.host) << ":"
            << port << std::endl;

  std::thread stopper([&server, &stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    // Stops accepting; listen_after_bind returns once the requests in progress are answered.
    server.stop();
  });
  server.listen_after_bind();
  if (stopper.joinable()) {
    // listen ended on its own (not by a signal): wake the stopper so it can be joined.
    if (server.is_running()) server.stop();
    pthread_kill(stopper.native_handle(), SIGTERM);
    stopper.join();
  }
  // Running work is asked to stop at its next safe point and recorded as it ends (cancelled,
  // resumable as a killed run is); pending work is cancelled.
  registry.shutdown();
  denied.stop();
  std::cout << "stopped" << std::endl;
  return 0;
}

}  // namespace migpkg::serve
