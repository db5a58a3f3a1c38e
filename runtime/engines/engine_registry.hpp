#pragma once
// The engines migpkg runs on, found by URL scheme (DatabaseUrl::parse) or by ir::Engine: one
// line per engine in engine_registry.cpp. Engines linked into libmigpkg are there at once; a
// module engine (engine_module.hpp) is loaded the first time it is asked for, so parsing a URL
// never loads one.
#include <memory>
#include <string>

#include "runtime/engines/engine.hpp"

namespace migpkg::runtime {

// The engine `id`, loading its module on first use. Throws DatabaseError when the module cannot
// be loaded, std::invalid_argument for an engine migpkg compiles plans for but cannot run on.
const Engine& engine_for(ir::Engine id);
inline const Engine& engine_of(const Connection& connection) {
  return engine_for(connection.engine());
}
inline const Engine& engine_of(const DatabaseUrl& url) {
  return engine_for(url.engine);
}

// Whether migpkg runs on `id` (has an engine for it, linked in or as a module).
bool has_runtime(ir::Engine id);

// The URL opened by its engine (open_connection(DatabaseUrl::parse(url))).
std::unique_ptr<Connection> open_url(const std::string& url);

// A scratch database (engine.hpp) on the server `server_url` names, made by its engine; for
// `check` and the tests. Dropped when this goes out of scope.
class TemporaryDatabase {
 public:
  explicit TemporaryDatabase(const std::string& server_url,
                             const std::string& prefix = "migpkg_scratch");
  const std::string& url() const { return scratch_->url(); }
  const std::string& name() const { return scratch_->name(); }

 private:
  std::unique_ptr<ScratchDatabase> scratch_;
};

}  // namespace migpkg::runtime
