#include "compiler/load/data_file.hpp"

#include "compiler/util/file_text.hpp"
#include "compiler/util/sha256.hpp"

namespace migpkg {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string directory_of(const std::string& file) {
  std::size_t slash = file.rfind('/');
  return slash == std::string::npos ? "." : file.substr(0, slash == 0 ? 1 : slash);
}

template <typename Visit>
void each_load(std::vector<ir::Migration>& migrations, Visit visit) {
  for (auto& m : migrations)
    for (auto* steps : {&m.up, &m.down})
      for (auto& step : *steps)
        if (step.load && !step.load->unload) visit(*step.load);
}

void fill(ir::Load& load, std::string content, std::string path) {
  load.path = std::move(path);
  load.sha256 = sha256_hex(content);
  load.content = std::make_shared<const std::string>(std::move(content));
}

}  // namespace

std::string load_path_problem(const std::string& path) {
  if (path.empty()) return "the data file's path is empty";
  if (path[0] == '/') return "the data file's path must be relative to the plugin directory";
  if (path.find('\\') != std::string::npos) return "the data file's path holds a backslash";
  if (path.rfind("data/", 0) != 0) return "the data file must be under data/";
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    std::string segment =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment.empty() || segment == "." || segment == "..")
      return "the data file's path must not hold an empty, \".\" or \"..\" segment";
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (!ends_with(path, ".ndjson") && !ends_with(path, ".csv"))
    return "the data file must end in .ndjson or .csv";
  return "";
}

void fill_load_files_from_disk(std::vector<ir::Migration>& migrations,
                               const std::string& source_file, Diagnostics& diagnostics) {
  const std::string directory = directory_of(source_file);
  each_load(migrations, [&](ir::Load& load) {
    const SourceLocation& at = load.file.location;
    std::string problem = load_path_problem(load.file.text);
    if (!problem.empty()) {
      diagnostics.error("load-file", at, problem + ": \"" + load.file.text + "\"");
      return;
    }
    std::string path = directory + "/" + load.file.text;
    FileText file = read_file_text(path, kMaxLoadFileBytes);
    if (!file.error) return fill(load, std::move(file.text), path);
    switch (*file.error) {
      case FileTextError::TooLarge:
        diagnostics.error("load-file", at,
                          path + " is " + std::to_string(file.size) +
                              " bytes; a load step's file may hold at most " +
                              std::to_string(kMaxLoadFileBytes) + " bytes",
                          "split it into several files and load steps");
        break;
      case FileTextError::NotRegular:
        diagnostics.error("load-file", at, "no data file " + path + " (no regular file there)",
                          "data files live in the plugin directory's data/ folder, next to "
                          "the sources");
        break;
      case FileTextError::Unreadable:
        diagnostics.error("load-file", at, "cannot read the data file " + path,
                          "data files live in the plugin directory's data/ folder, next to "
                          "the sources");
        break;
    }
  });
}

void fill_load_files(std::vector<ir::Migration>& migrations, const DataFileLookup& lookup,
                     const std::string& where, Diagnostics& diagnostics) {
  each_load(migrations, [&](ir::Load& load) {
    std::string problem = load_path_problem(load.file.text);
    if (!problem.empty()) {
      diagnostics.error("load-file", load.file.location, problem + ": \"" + load.file.text + "\"");
      return;
    }
    const std::string* content = lookup(load.file.text);
    if (!content) {
      diagnostics.error("load-file", load.file.location,
                        where + " holds no " + load.file.text + " for this load step");
      return;
    }
    if (content->size() > kMaxLoadFileBytes) {
      diagnostics.error("load-file", load.file.location,
                        load.file.text + " is larger than a load step's limit of " +
                            std::to_string(kMaxLoadFileBytes) + " bytes");
      return;
    }
    fill(load, *content, where + ":" + load.file.text);
  });
}

}  // namespace migpkg
