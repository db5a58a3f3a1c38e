// key rotate: a statement, signed by a publisher's old key, vouching for its new key.
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/secret_key_file.hpp"
#include "runtime/package/atomic_file.hpp"
#include "runtime/package/key_rotation.hpp"
#include "runtime/package/utc_time.hpp"

namespace migpkg::cli {

int run_key(const Arguments& args) {
  const auto& words = args.positionals();
  if (words.size() != 1 || words[0] != "rotate")
    throw UsageError("key takes a subcommand: key rotate --old OLD.key --new NEW.pub");
  auto old_path = args.value("--old");
  auto new_path = args.value("--new");
  if (!old_path || !new_path) throw UsageError("--old OLD.key and --new NEW.pub are both required");
  std::ifstream in(*new_path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read public key " + *new_path);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > 8192) throw std::runtime_error(*new_path + ": not a minisign public key");
  package::PublicKey new_key;
  try {
    new_key = package::parse_public_key(text.str(), *new_path);
  } catch (const package::KeyError& e) {
    throw std::runtime_error(e.what());
  }
  package::SecretKey old_key = load_secret_key(args, *old_path);
  std::string old_id = package::key_id_hex(old_key.id), new_id = package::key_id_hex(new_key.id);
  std::string output = args.value("--output").value_or(old_id + "-" + new_id + ".rotation");
  package::RotationFiles files;
  try {
    files = package::make_rotation_statement(old_key, new_key, package::unix_now(),
                                             args.value("--note").value_or(""));
  } catch (const package::KeyError& e) {
    throw std::runtime_error(e.what());
  }
  package::write_file_atomically(output, files.statement);
  package::write_file_atomically(output + ".minisig", files.signature);
  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["statement"] = output;
    out["signature"] = output + ".minisig";
    out["oldKeyId"] = old_id;
    out["newKeyId"] = new_id;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "key " << old_id << " vouches for key " << new_id << ": " << output << " and "
              << output << ".minisig\n"
              << "installers that trust " << old_id << " accept packages signed by " << new_id
              << " once both files are in their trust directory (or shipped in a registry index)\n";
  }
  return kOk;
}

}  // namespace migpkg::cli
