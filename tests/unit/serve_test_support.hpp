#pragma once
// Helpers for the serve tests: a real `migpkg serve` process on a free loopback port, tokens
// made by `migpkg token add`, an httplib client, and every response checked against
// schemas/openapi.json.
#include <httplib.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace migpkg::test {

// `migpkg token add NAME --role ROLE --tokens FILE`; returns the token it prints.
std::string add_token(const std::string& tokens_file, const std::string& name,
                      const std::string& role);

class ServeProcess {
 public:
  // Starts `migpkg serve --db URL --tokens FILE --listen 127.0.0.1:0 EXTRA...` and waits for
  // the line saying where it listens; fails the test if it does not come within 20 s.
  ServeProcess(const std::string& database_url, const std::string& tokens_file,
               const std::vector<std::string>& extra = {});
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  httplib::Client client() const;
  // SIGTERM, then waits: the exit code (128 + signal when a signal ended it).
  int stop();
  // What it wrote to stdout after the listening line, and to stderr (after stop()).
  std::string output() const;
  std::string errors() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
  std::string out_, err_path_;
};

// Checks a response against the OpenAPI document: the route's METHOD must list the status, and
// for a JSON or problem body, the body must match that response's schema. Returns the
// violations (empty: conforming).
std::vector<std::string> openapi_violations(const std::string& method, const std::string& path,
                                            const httplib::Result& result);

// A request with the bearer token, its response held to the OpenAPI document (fails the test
// otherwise); `path` as the route is declared ("/status"), `query` appended.
httplib::Result get(httplib::Client& client, const std::string& route, const std::string& token,
                    const std::string& query = "");
httplib::Result post(httplib::Client& client, const std::string& route, const std::string& token,
                     const std::string& body, const std::string& content_type);
// Any request: `route` as the OpenAPI document names it ("/operations/{id}"), `path` as sent.
httplib::Result call(httplib::Client& client, const std::string& method, const std::string& route,
                     const std::string& path, const std::string& token,
                     const std::string& body = "", const std::string& content_type = "");

// The JSON body of a response (fails the test without one).
nlohmann::json body_json(const httplib::Result& result);

// Polls GET /operations/{id} until the operation has finished; fails the test after `seconds`.
nlohmann::json finished_over_http(httplib::Client& client, const std::string& token,
                                  const std::string& id, int seconds = 120);

}  // namespace migpkg::test
