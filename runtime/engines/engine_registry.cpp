// The registry of engines (engine_registry.hpp): one line per engine in kEngines. Adding an
// engine is its folder runtime/engines/<name>/, a line here and, for a module, its CMake line
// (docs/architecture.md, "How to add a dialect, a change kind, a command or an
// engine").
#include "runtime/engines/engine_registry.hpp"

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "runtime/engines/engine_module.hpp"

namespace migpkg::runtime {

const Engine& sqlite_engine();  // runtime/engines/sqlite/sqlite_engine.cpp

namespace {

// How a URL names the database: `scheme:PATH` (a file engine: DatabaseUrl::path) or
// `scheme://...` (a server engine: the whole URL is DatabaseUrl::conninfo, for its client).
enum class UrlForm { kFilePath, kServerUrl };

struct EngineEntry {
  ir::Engine id;
  const char* display_name;          // in messages: "PostgreSQL support is not available"
  std::vector<std::string> schemes;  // the first is the engine's own, the others aliases
  UrlForm form;
  const char* accepted_forms;  // the URL forms, for the message about a URL none takes
  const Engine& (*linked)();   // a linked-in engine; nullptr: migpkg-<name>.so
};

const std::vector<EngineEntry>& engines() {
  static const std::vector<EngineEntry> kEngines = {
      {ir::Engine::SQLite,
       "SQLite",
       {"sqlite"},
       UrlForm::kFilePath,
       "sqlite:PATH, sqlite::memory:",
       &sqlite_engine},
      {ir::Engine::PostgreSQL,
       "PostgreSQL",
       {"postgresql", "postgres"},
       UrlForm::kServerUrl,
       "postgresql://[user[:password]@][host][:port][/dbname][?param=value&...] (postgres:// is "
       "accepted too)",
       nullptr},
      {ir::Engine::MySQL,
       "MySQL",
       {"mysql", "mariadb"},
       UrlForm::kServerUrl,
       "mysql://[user[:password]@][host][:port][/database][?param=value&...] (mariadb:// is "
       "accepted too)",
       nullptr},
  };
  return kEngines;
}

const EngineEntry* entry_of(ir::Engine id) {
  for (const EngineEntry& entry : engines())
    if (entry.id == id) return &entry;
  return nullptr;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string accepted_forms() {
  std::string out = "accepted forms: ";
  for (std::size_t i = 0; i < engines().size(); ++i)
    out += (i ? ", " : "") + std::string(engines()[i].accepted_forms);
  return out;
}

}  // namespace

DatabaseUrl DatabaseUrl::parse(const std::string& url) {
  for (const EngineEntry& entry : engines()) {
    for (const std::string& scheme : entry.schemes) {
      DatabaseUrl parsed;
      parsed.engine = entry.id;
      if (entry.form == UrlForm::kServerUrl) {
        if (!starts_with(url, scheme + "://")) continue;
        parsed.conninfo = url;  // the client parses URLs itself, including every parameter
        return parsed;
      }
      if (!starts_with(url, scheme + ":")) continue;
      // "sqlite://x" would silently mean the absolute path "//x"; a user writing it almost
      // certainly meant something else.
      if (starts_with(url, scheme + "://"))
        throw std::invalid_argument("unsupported database URL '" + url + "': write " + scheme +
                                    ":PATH (for example " + scheme + ":app.db or " + scheme +
                                    ":/var/lib/app.db), not " + scheme + "://PATH; " +
                                    accepted_forms());
      parsed.path = url.substr(scheme.size() + 1);
      if (parsed.path.empty())
        throw std::invalid_argument("database URL '" + scheme + ":' names no file; " +
                                    accepted_forms());
      return parsed;
    }
  }
  throw std::invalid_argument("unsupported database URL '" + redact_password(url) + "'; " +
                              accepted_forms());
}

const Engine& engine_for(ir::Engine id) {
  const EngineEntry* entry = entry_of(id);
  if (!entry)
    throw std::invalid_argument("migpkg cannot run on " + std::string(ir::engine_name(id)) +
                                " databases (it only compiles plans for them)");
  if (entry->linked) return entry->linked();
  // Loaded once (asked for on every catalog call, so the loaded engine is read without the
  // lock); a failure is not remembered, so a later call tries again.
  static std::atomic<const Engine*> loaded[ir::kEngineCount] = {};
  static std::mutex mutex;
  std::atomic<const Engine*>& slot = loaded[static_cast<std::size_t>(id)];
  if (const Engine* engine = slot.load(std::memory_order_acquire)) return *engine;
  std::lock_guard<std::mutex> lock(mutex);
  if (!slot.load(std::memory_order_relaxed))
    slot.store(&load_engine_module(id, entry->display_name), std::memory_order_release);
  return *slot.load(std::memory_order_relaxed);
}

bool has_runtime(ir::Engine id) {
  return entry_of(id) != nullptr;
}

std::unique_ptr<Connection> open_connection(const DatabaseUrl& url, int lock_wait_ms) {
  return engine_of(url).open(url, lock_wait_ms);
}

std::unique_ptr<Connection> open_url(const std::string& url) {
  return open_connection(DatabaseUrl::parse(url));
}

TemporaryDatabase::TemporaryDatabase(const std::string& server_url, const std::string& prefix) {
  DatabaseUrl server = DatabaseUrl::parse(server_url);
  scratch_ = engine_of(server).scratch_database(server, prefix);
}

}  // namespace migpkg::runtime
