#pragma once
// A small, strict command-line parser: each command declares its options; anything else is a
// usage error (exit 2) with a hint.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace migpkg::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OptionSpec {
  std::string name;        // "--dialect"
  std::string short_name;  // "-o" or ""
  bool takes_value = false;
  std::string value_name;  // "D", shown in help
  std::string help;
  bool repeatable = false;  // may be given more than once (Arguments::all)
};

struct CommandSpec {
  std::string name;
  std::string usage;    // "validate SRC..."
  std::string summary;  // one line
  std::vector<OptionSpec> options;
  std::size_t min_positionals = 0;
};

class Arguments {
 public:
  static Arguments parse(const CommandSpec& spec, const std::vector<std::string>& argv);
  bool flag(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  // Every value of a repeatable option, in the order given.
  std::vector<std::string> all(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  // Every word as given (for the audit log).
  const std::vector<std::string>& words() const { return words_; }

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> repeated_;
  std::vector<std::string> positionals_;
  std::vector<std::string> words_;
};

// "install SRC|PKG... [--db URL] ...": the table's usage text plus every option it leaves out.
std::string usage_line(const CommandSpec& spec);
std::string command_help(const CommandSpec& spec);

}  // namespace migpkg::cli
