#pragma once
// A peer migration tool's history (Flyway, Liquibase, Sqitch, golang-migrate, dbmate) as read
// from its own directory layout: each migration's up and down SQL in the tool's order, with
// whether the tool runs each script inside a transaction. `peer_plugin` turns it into a
// migpkg plugin; docs/convert.md describes each tool's layout and mapping.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace migpkg::convert {

// Bad input: the message starts with `file:line: ` (or `file: ` when no line applies).
class PeerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One direction of one peer migration.
struct PeerScript {
  std::string sql;   // the SQL as the tool runs it (a wrapper the tool ignores removed)
  std::string file;  // the file it came from, relative to the peer directory
  bool transactional = true;
  std::string non_transactional_reason;  // the marker that made it non-transactional
};

struct PeerMigration {
  std::string key;    // the tool's own name for it: V1.1__add_users, author:id, a change name
  std::string title;  // a readable name (the description part of a file name, a comment)
  PeerScript up;
  // nullopt: the tool has no down for this migration (it cannot be rolled back).
  std::optional<PeerScript> down;
  std::vector<std::string> requires_keys;  // keys of earlier migrations it depends on (Sqitch)
};

struct PeerHistory {
  std::vector<PeerMigration> migrations;  // in the tool's order
  std::vector<std::string> notes;         // what was read but not converted (verify scripts)
  // The dialect the tool's configuration names (flyway.conf's url, sqitch.conf's engine).
  std::optional<std::string> configured_dialect;
};

// Each reader takes the peer directory as the user named it (messages use that spelling) and
// throws PeerError on input it does not convert.
PeerHistory read_flyway(const std::string& dir);
PeerHistory read_liquibase(const std::string& dir);
PeerHistory read_sqitch(const std::string& dir);
PeerHistory read_golang_migrate(const std::string& dir);
PeerHistory read_dbmate(const std::string& dir);

// The tool names `--from` takes, and the reader for one (nullptr when unknown).
const std::vector<std::string>& peer_tool_names();
using PeerReader = PeerHistory (*)(const std::string& dir);
PeerReader peer_reader(const std::string& tool);

}  // namespace migpkg::convert
