// The tools `convert --from` reads, by name.
#include "compiler/convert/peer_history.hpp"

namespace migpkg::convert {
namespace {

struct Tool {
  const char* name;
  PeerReader reader;
};

const Tool kTools[] = {{"flyway", read_flyway},
                       {"liquibase", read_liquibase},
                       {"sqitch", read_sqitch},
                       {"golang-migrate", read_golang_migrate},
                       {"dbmate", read_dbmate}};

}  // namespace

const std::vector<std::string>& peer_tool_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& tool : kTools) out.push_back(tool.name);
    return out;
  }();
  return names;
}

PeerReader peer_reader(const std::string& tool) {
  for (const auto& t : kTools)
    if (tool == t.name) return t.reader;
  return nullptr;
}

}  // namespace migpkg::convert
