#pragma once
// Reading a table's source while its previous batch is written: TableSource::read runs on a
// thread of its own and hands its batches over a bounded queue to the calling thread, which
// writes them (docs/data.md, "copy"). Only the reading (the source's statement or file, and the
// conversion of its values to portable form) moves to the other thread; writing, checkpoints and
// commits stay on the caller's, in the order the batches were read, so a checkpoint is still
// committed with its batch. Memory holds at most `depth` batches waiting, one being read and one
// being written.
#include <cstddef>
#include <functional>
#include <vector>

#include "runtime/data/data_move.hpp"

namespace migpkg::data {

// Calls `sink` on the calling thread with each batch source.read(after, batch_rows, ...) gives,
// in order, after `prepare` (when given) had it on the reader thread. What the reader throws (a
// ValueError for a source value without a portable form, a DatabaseError) is thrown here after
// the batches before it were handed over; what `sink` throws stops the reader and is thrown here
// once the reader has stopped.
void read_ahead(TableSource& source, const Checkpoint& after, std::size_t batch_rows,
                std::size_t depth, const std::function<void(std::vector<Row>&)>& prepare,
                const std::function<void(std::vector<Row>)>& sink);

// The same for any reader: `produce` runs on the reader thread and hands each batch it reads
// to the function it is given (export reads a table this way through Engine::read_data).
using BatchProducer = std::function<void(const std::function<void(std::vector<Row>)>&)>;
void read_ahead(const BatchProducer& produce, std::size_t depth,
                const std::function<void(std::vector<Row>&)>& prepare,
                const std::function<void(std::vector<Row>)>& sink);

}  // namespace migpkg::data
