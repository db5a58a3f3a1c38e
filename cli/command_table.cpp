#include "cli/commands.hpp"

namespace migpkg::cli {

const std::vector<Command>& commands() {
  static const OptionSpec json{"--json", "", false, "", "machine-readable output on stdout"};
  static const std::vector<Command> table = {
      {{"validate",
        "validate SRC... [--json]",
        "Parse and validate .json sources and plugin directories; report every problem.",
        {json},
        1},
       run_validate},
      {{"compile",
        "compile SRC... --dialect D [--format sql|json] [--direction up|down] [-o OUT]",
        "Compile sources into the step plan for one SQL dialect.",
        {{"--dialect", "-d", true, "D", "postgresql or sqlite"},
         {"--format", "-f", true, "FMT", "sql (default) or json"},
         {"--direction", "", true, "DIR", "for sql: up (default) or down"},
         {"--output", "-o", true, "OUT", "write to OUT instead of stdout"}},
        1},
       run_compile},
      {{"check",
        "check SRC... [--db URL] [--json]",
        "Apply every up, then every down, on a scratch database and prove the downs restore "
        "the schema.",
        {{"--db", "", true, "URL",
          "sqlite::memory: (default), a new sqlite:PATH, or a PostgreSQL server URL (a scratch "
          "database is created there and dropped)"},
         json},
        1},
       run_check},
  };
  return table;
}

}  // namespace migpkg::cli
