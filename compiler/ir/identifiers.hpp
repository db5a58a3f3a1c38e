#pragma once
// The spelling rules for the names migpkg stores and prints: plugin ids ("acme.crm") and
// migration and step ids. Shared by the validator and whatever else accepts such names.
#include <string>

namespace migpkg {

// Lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit.
bool is_valid_plugin_id(const std::string& id);
// Letters, digits, '.', '_' or '-', starting with a letter or digit; at most 128 characters.
bool is_valid_id(const std::string& id);

}  // namespace migpkg
