#include <sstream>

#include "cli/reference_docs.hpp"

namespace migpkg::cli {
namespace {

// Text as roff prints it: a backslash is \e, a hyphen \- (an ASCII hyphen-minus, which an
// option name must stay so that it can be copied), and a line never starts with a control
// character.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

std::string upper(std::string text) {
  for (auto& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

// No date: the pages are generated at build time and must not change from one build to the
// next (reproducible packages).
void header(std::ostringstream& out, const std::string& title) {
  out << ".TH " << roff(upper(title)) << " 1 \"\" \"migpkg " << MIGPKG_VERSION
      << "\" \"migpkg manual\"\n";
  // Left-aligned and never hyphenated, so that an option or a usage line reads (and can be
  // copied) exactly as --help prints it.
  out << ".ad l\n.nh\n";
}

const char* const kExitStatus =
    ".SH EXIT STATUS\n"
    ".TP\n.B 0\nsuccess\n"
    ".TP\n.B 1\nfailed: invalid sources, a failed migration or check\n"
    ".TP\n.B 2\nusage error: unknown command or option, missing argument\n"
    ".TP\n.B 3\nsignature or trust failure\n"
    ".TP\n.B 4\ndatabase locked by another run\n"
    ".TP\n.B 5\ndrift: the database differs from what migpkg recorded\n";

std::string option_term(const OptionSpec& option) {
  std::string term = option.short_name.empty() ? "" : "\\fB" + roff(option.short_name) + "\\fR, ";
  term += "\\fB" + roff(option.name) + "\\fR";
  if (option.takes_value) term += " \\fI" + roff(option.value_name) + "\\fR";
  return term;
}

std::string command_page(const CommandSpec& spec) {
  std::ostringstream out;
  header(out, "migpkg-" + spec.name);
  out << ".SH NAME\nmigpkg\\-" << roff(spec.name) << " \\- " << roff(spec.summary) << "\n";
  out << ".SH SYNOPSIS\n.B migpkg\n" << roff(usage_line(spec)) << "\n";
  out << ".SH DESCRIPTION\n" << roff(spec.summary) << "\n";
  out << ".SH OPTIONS\n";
  for (const auto& option : spec.options) {
    out << ".TP\n" << option_term(option) << "\n" << roff(option.help);
    if (option.repeatable && option.help.find("repeatable") == std::string::npos)
      out << " (repeatable)";
    out << "\n";
  }
  out << ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nprint the command's usage and options\n";
  out << kExitStatus;
  out << ".SH SEE ALSO\n.BR migpkg (1)\n";
  return out.str();
}

std::string overview_page(const std::vector<Command>& commands) {
  std::ostringstream out;
  header(out, "migpkg");
  out << ".SH NAME\nmigpkg \\- compile, check and apply declarative database migrations for "
         "plugins\n";
  out << ".SH SYNOPSIS\n.B migpkg\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n.br\n"
         ".B migpkg\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n.br\n"
         ".B migpkg\n\\fB\\-\\-version\\fR\n";
  out << ".SH DESCRIPTION\nmigpkg compiles migration sources (the .mig DSL and "
         "portable\\-migration\\-v1 JSON) into SQL for PostgreSQL, SQLite, MySQL, SQL Server "
         "and Oracle, and installs, checks and rolls them back on SQLite, PostgreSQL and "
         "MySQL/MariaDB databases.\nEach command has its own page, \\fBmigpkg\\-\\fR"
         "\\fICOMMAND\\fR(1).\n";
  out << ".SH COMMANDS\n";
  for (const auto& command : commands)
    out << ".TP\n.BR migpkg\\-" << roff(command.spec.name) << " (1)\n"
        << roff(command.spec.summary) << "\n";
  out << ".SH ENVIRONMENT\n.TP\n.B MIGPKG_DB\nthe database URL of the runtime commands when "
         "\\fB\\-\\-db\\fR is not given\n";
  out << kExitStatus;
  out << ".SH SEE ALSO\n";
  for (std::size_t i = 0; i < commands.size(); ++i)
    out << ".BR migpkg\\-" << roff(commands[i].spec.name) << " (1)"
        << (i + 1 < commands.size() ? "," : "") << "\n";
  return out.str();
}

}  // namespace

std::vector<ManPage> man_pages(const std::vector<Command>& commands) {
  std::vector<ManPage> pages{{"migpkg.1", overview_page(commands)}};
  for (const auto& command : commands)
    pages.push_back({"migpkg-" + command.spec.name + ".1", command_page(command.spec)});
  return pages;
}

}  // namespace migpkg::cli
