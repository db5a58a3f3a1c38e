#include <arpa/inet.h>

#include <regex>

#include "cli/runtime_support.hpp"
#include "serve/server.hpp"

namespace migpkg::serve {
namespace {

std::size_t positive_number(const cli::Arguments& args, const std::string& option,
                            std::size_t fallback, std::size_t most) {
  auto text = args.value(option);
  if (!text) return fallback;
  if (!std::regex_match(*text, std::regex(R"([0-9]{1,12})")) || std::stoull(*text) == 0 ||
      std::stoull(*text) > most)
    throw cli::UsageError(option + " takes a number from 1 to " + std::to_string(most) + ", not '" +
                          *text + "'");
  return std::stoull(*text);
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  unsigned char v4[4];
  if (::inet_pton(AF_INET, host.c_str(), v4) == 1) return v4[0] == 127;
  unsigned char v6[16];
  if (::inet_pton(AF_INET6, host.c_str(), v6) == 1) {
    for (int i = 0; i < 15; ++i)
      if (v6[i] != 0) return false;
    return v6[15] == 1;
  }
  return false;
}

ServeOptions serve_options(const cli::Arguments& args) {
  if (!args.positionals().empty()) throw cli::UsageError("serve takes no arguments");
  ServeOptions o;
  o.database = cli::database_argument(args);
  cli::parse_database(o.database);  // a bad URL is a usage error before anything listens
  auto tokens = args.value("--tokens");
  if (!tokens)
    throw cli::UsageError("serve needs --tokens FILE (make one with `migpkg token add`)");
  o.tokens_path = *tokens;
  if (auto listen = args.value("--listen")) {
    // HOST:PORT, or [IPv6]:PORT.
    static const std::regex form(R"(^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$)");
    std::smatch m;
    if (!std::regex_match(*listen, m, form) || std::stoi(m[2].str()) > 65535)
      throw cli::UsageError(
          "--listen takes HOST:PORT (e.g. 127.0.0.1:8470, port 0 for any free "
          "one), not '" +
          *listen + "'");
    o.host = m[1].str();
    if (o.host.front() == '[') o.host = o.host.substr(1, o.host.size() - 2);
    o.port = std::stoi(m[2].str());
  }
  o.allow_remote = args.flag("--allow-remote");
  if (!o.allow_remote && !is_loopback_host(o.host))
    throw cli::UsageError("--listen " + o.host +
                          " is not a loopback address: the API would be reachable from other "
                          "machines; add --allow-remote if that is meant");
  o.packages_dir = args.value("--packages").value_or("");
  o.data_dir = args.value("--data-dir").value_or("");
  o.trust = args.value("--trust").value_or("");
  o.backup_dir = args.value("--backup-dir").value_or("");
  // By default beside the token file: both belong to this server, not to the database.
  o.operations_file = args.value("--operations-file").value_or("");
  if (o.operations_file.empty()) {
    auto slash = o.tokens_path.rfind('/');
    o.operations_file =
        (slash == std::string::npos ? std::string(".") : o.tokens_path.substr(0, slash)) +
        "/operations.jsonl";
  }
  o.threads = positive_number(args, "--threads", o.threads, 256);
  o.max_body = positive_number(args, "--max-body", o.max_body, std::size_t{1} << 32);
  o.audit_interval = std::chrono::seconds(positive_number(args, "--audit-interval", 60, 24 * 3600));
  return o;
}

}  // namespace migpkg::serve
