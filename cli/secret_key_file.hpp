#pragma once
// Reading a publisher's secret key file for the commands that sign (pack, index build, key
// rotate): its password from --password-file, else asked on a terminal, else exit 2.
#include <string>

#include "cli/arguments.hpp"
#include "runtime/package/minisign.hpp"

namespace migpkg::cli {

// A wrong password or a file that is not a minisign secret key is a std::runtime_error.
package::SecretKey load_secret_key(const Arguments& args, const std::string& path);

}  // namespace migpkg::cli
