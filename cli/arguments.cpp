#include "cli/arguments.hpp"

#include <sstream>

#include "compiler/diagnostics/diagnostic.hpp"

namespace migpkg::cli {

Arguments Arguments::parse(const CommandSpec& spec, const std::vector<std::string>& argv) {
  Arguments args;
  args.words_ = argv;
  auto find = [&](const std::string& name) -> const OptionSpec* {
    for (const auto& option : spec.options)
      if (option.name == name || (!option.short_name.empty() && option.short_name == name))
        return &option;
    return nullptr;
  };
  bool only_positionals = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string word = argv[i];
    if (only_positionals || word.empty() || word[0] != '-' || word == "-") {
      args.positionals_.push_back(word);
      continue;
    }
    if (word == "--") {
      only_positionals = true;
      continue;
    }
    std::optional<std::string> inline_value;
    auto eq = word.find('=');
    if (word.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = word.substr(eq + 1);
      word = word.substr(0, eq);
    }
    const OptionSpec* option = find(word);
    if (!option) {
      std::vector<std::string> names;
      for (const auto& o : spec.options) names.push_back(o.name);
      std::string suggestion = closest_match(word, names);
      throw UsageError("unknown option " + word + " for '" + spec.name + "'" +
                       (suggestion.empty() ? "" : "; did you mean " + suggestion + "?"));
    }
    if (args.values_.count(option->name) && !option->repeatable)
      throw UsageError("option " + option->name + " given twice");
    if (option->takes_value) {
      if (inline_value) {
        args.values_[option->name] = *inline_value;
      } else if (i + 1 < argv.size()) {
        args.values_[option->name] = argv[++i];
      } else {
        throw UsageError("option " + option->name + " needs a value (" + option->value_name + ")");
      }
      args.repeated_[option->name].push_back(args.values_[option->name]);
    } else {
      if (inline_value) throw UsageError("option " + option->name + " takes no value");
      args.values_[option->name] = "";
    }
  }
  if (args.positionals_.size() < spec.min_positionals)
    throw UsageError("missing arguments; usage: migpkg " + usage_line(spec));
  return args;
}

std::optional<std::string> Arguments::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Arguments::all(const std::string& name) const {
  auto it = repeated_.find(name);
  return it == repeated_.end() ? std::vector<std::string>{} : it->second;
}

std::string usage_line(const CommandSpec& spec) {
  // The table's usage text holds the operands, required options and alternatives
  // ("[--to VERSION | --steps N | --all]"); every other option is appended from the option list,
  // so a new option can never be missing from the usage line.
  std::string line = spec.usage;
  auto mentions = [&](const std::string& word) {
    for (std::size_t at = spec.usage.find(word); at != std::string::npos;
         at = spec.usage.find(word, at + 1)) {
      std::size_t end = at + word.size();
      bool starts = at == 0 || spec.usage[at - 1] == ' ' || spec.usage[at - 1] == '[';
      bool ends = end == spec.usage.size() || spec.usage[end] == ' ' || spec.usage[end] == ']';
      if (starts && ends) return true;
    }
    return false;
  };
  for (const auto& o : spec.options) {
    if (mentions(o.name) || (!o.short_name.empty() && mentions(o.short_name))) continue;
    line += " [" + o.name + (o.takes_value ? " " + o.value_name : "") + "]";
  }
  return line;
}

std::string command_help(const CommandSpec& spec) {
  std::ostringstream out;
  out << "usage: migpkg " << usage_line(spec) << "\n\n" << spec.summary << "\n";
  if (!spec.options.empty()) out << "\noptions:\n";
  for (const auto& o : spec.options) {
    std::string left = "  " + (o.short_name.empty() ? "" : o.short_name + ", ") + o.name +
                       (o.takes_value ? " " + o.value_name : "");
    if (left.size() < 28)
      left.resize(28, ' ');
    else
      left += "  ";
    out << left << o.help << "\n";
  }
  return out.str();
}

}  // namespace migpkg::cli
