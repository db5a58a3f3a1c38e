#pragma once
// Files a request names (a backup to restore, a data set to import or export, a SQLite end of a
// copy) are hostile input, as package names are (package_source.hpp): a plain file name (no '/'
// or '\', no leading '.', no NUL, at most 255 bytes) inside the directory the server was given
// for them, checked again after symbolic links are resolved. Request data never becomes any
// other path.
#include <string>

namespace migpkg::serve {

enum class Existence { must_exist, must_not_exist, either };

// Why `name` is not a plain file name, or "".
std::string plain_name_problem(const std::string& name);

// The path of `name` inside `dir` (`option` names the server option that sets it, for the
// message when it is not set; `what` is what the name is of). A UsageError (400) otherwise.
std::string path_in_directory(const std::string& dir, const std::string& option,
                              const std::string& name, const std::string& what,
                              Existence existence);

// A database URL from a request: a server URL as it is (checked to parse), or sqlite:NAME with
// NAME a plain name inside `data_dir` (--data-dir), never another path.
std::string request_database_url(const std::string& url, const std::string& data_dir,
                                 Existence existence);

}  // namespace migpkg::serve
