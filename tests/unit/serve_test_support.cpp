#include "unit/serve_test_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <thread>

#include "compiler/ir/source_location.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/test_support.hpp"

namespace migpkg::test {

using nlohmann::json;

std::string add_token(const std::string& tokens_file, const std::string& name,
                      const std::string& role) {
  auto r =
      run_cli("token add " + name + " --role " + role + " --tokens " + shell_quoted(tokens_file));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string token = r.out;
  while (!token.empty() && token.back() == '\n') token.pop_back();
  REQUIRE(std::regex_match(token, std::regex("mgp_[0-9a-f]{64}")));
  return token;
}

ServeProcess::ServeProcess(const std::string& database_url, const std::string& tokens_file,
                           const std::vector<std::string>& extra) {
  std::vector<std::string> words = {binary(),   "serve",     "--db",     database_url,
                                    "--tokens", tokens_file, "--listen", "127.0.0.1:0"};
  words.insert(words.end(), extra.begin(), extra.end());
  err_path_ = make_temp_dir() + "/stderr";
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const int err_fd = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(err_fd >= 0);
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    ::dup2(pipe_fds[1], 1);
    ::dup2(err_fd, 2);
    ::close(pipe_fds[0]);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(err_fd);
  ::close(pipe_fds[1]);
  out_fd_ = pipe_fds[0];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (out_.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_fd_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buffer[256];
    ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
    if (n <= 0) break;
    out_.append(buffer, static_cast<std::size_t>(n));
  }
  std::smatch m;
  std::string first = out_.substr(0, out_.find('\n'));
  INFO("migpkg serve said: " << out_ << "\nstderr: " << read_file(err_path_));
  REQUIRE(std::regex_match(first, m, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))")));
  port_ = std::stoi(m[1].str());
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) stop();
}

httplib::Client ServeProcess::client() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(5);
  c.set_read_timeout(30);
  return c;
}

int ServeProcess::stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(out_fd_, buffer, sizeof buffer)) > 0)
    out_.append(buffer, static_cast<std::size_t>(n));
  ::close(out_fd_);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ServeProcess::output() const {
  return out_.substr(out_.find('\n') + 1);
}
std::string ServeProcess::errors() const {
  return read_file(err_path_);
}

namespace {

const json& openapi() {
  static const json document = load_schema("openapi.json");
  return document;
}

}  // namespace

std::vector<std::string> openapi_violations(const std::string& method, const std::string& path,
                                            const httplib::Result& result) {
  if (!result) return {"no response (" + httplib::to_string(result.error()) + ")"};
  std::string lower = method;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string status = std::to_string(result->status);
  const std::string operation = "/paths/" + escape_json_pointer_token(path) + "/" + lower;
  const json& doc = openapi();
  if (!doc.contains(json::json_pointer(operation)))
    return {method + " " + path + " is not in schemas/openapi.json"};
  const std::string response = operation + "/responses/" + status;
  if (!doc.contains(json::json_pointer(response)))
    return {method + " " + path + ": status " + status + " is not listed"};
  json described = doc.at(json::json_pointer(response));
  std::string base = response;
  if (described.contains("$ref")) {
    base = described["$ref"].get<std::string>().substr(1);
    described = doc.at(json::json_pointer(base));
  }
  std::string type = result->get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  if (!described.contains("content")) return {};
  if (!described["content"].contains(type))
    return {method + " " + path + " " + status + ": content type '" + type + "' is not listed"};
  if (type != "application/json" && type != "application/problem+json") return {};
  json body = json::parse(result->body, nullptr, false);
  if (body.is_discarded()) return {"the body is not JSON: " + result->body};
  return schema_violations_at(doc, base + "/content/" + escape_json_pointer_token(type) + "/schema",
                              body);
}

namespace {

httplib::Headers bearer(const std::string& token) {
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + token}};
}

void require_conforming(const std::string& method, const std::string& route,
                        const httplib::Result& result) {
  auto violations = openapi_violations(method, route, result);
  std::string listed;
  for (const auto& v : violations) listed += "  " + v + "\n";
  INFO(method << " " << route << " -> " << (result ? result->status : 0) << "\n"
              << (result ? result->body.substr(0, 2000) : "") << "\nviolations:\n"
              << listed);
  CHECK(violations.empty());
}

}  // namespace

httplib::Result get(httplib::Client& client, const std::string& route, const std::string& token,
                    const std::string& query) {
  auto result = client.Get((route + query).c_str(), bearer(token));
  require_conforming("GET", route, result);
  return result;
}

httplib::Result post(httplib::Client& client, const std::string& route, const std::string& token,
                     const std::string& body, const std::string& content_type) {
  auto result = client.Post(route.c_str(), bearer(token), body, content_type.c_str());
  require_conforming("POST", route, result);
  return result;
}

httplib::Result call(httplib::Client& client, const std::string& method, const std::string& route,
                     const std::string& path, const std::string& token, const std::string& body,
                     const std::string& content_type) {
  httplib::Result result =
      method == "GET"    ? client.Get(path.c_str(), bearer(token))
      : method == "POST" ? client.Post(path.c_str(), bearer(token), body, content_type.c_str())
                         : client.Delete(path.c_str(), bearer(token));
  require_conforming(method, route, result);
  return result;
}

json body_json(const httplib::Result& result) {
  REQUIRE(result);
  json body = json::parse(result->body, nullptr, false);
  INFO(result->body);
  REQUIRE_FALSE(body.is_discarded());
  return body;
}

json finished_over_http(httplib::Client& client, const std::string& token, const std::string& id,
                        int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  json record;
  while (std::chrono::steady_clock::now() < deadline) {
    record = body_json(call(client, "GET", "/operations/{id}", "/operations/" + id, token));
    const std::string state = record["state"];
    if (state == "completed" || state == "failed" || state == "cancelled") return record;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("operation " << id << " did not finish: " << record.dump());
  return record;
}

}  // namespace migpkg::test
