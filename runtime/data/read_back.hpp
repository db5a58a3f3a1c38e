#pragma once
// Verify's read of a target table: every row digested as the engine decodes it (no row kept),
// on more than one connection at once where the engine splits the table (Engine::read_parts:
// a large PostgreSQL table, read in ranges of its pages, all in one shared snapshot). Reading
// back is a third of a large copy's time, and bound by the server's one process per statement.
#include <functional>
#include <memory>

#include "runtime/data/content_digest.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/engines/engine.hpp"

namespace migpkg::data {

// Opens another connection to the database `read_back` reads; unset: only the one given.
using OpenConnection = std::function<std::unique_ptr<runtime::Connection>()>;

// The digest of the rows `read` selects (DataRead::any_order), read on `connection` and, when
// `open_more` is set, `connection` is outside a transaction and the engine splits the table, on
// further connections at once (when those cannot be opened, on `connection` alone). What a
// part's read throws is thrown once every part stopped.
ContentDigest read_back(runtime::Connection& connection, const OpenConnection& open_more,
                        const runtime::Engine::DataRead& read);

}  // namespace migpkg::data
