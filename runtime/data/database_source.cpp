#include "runtime/data/database_source.hpp"

#include "runtime/engines/engine_registry.hpp"

namespace migpkg::data {

void DatabaseSource::read(const Checkpoint& after, std::size_t batch_rows,
                          const std::function<void(std::vector<Row>)>& sink) {
  runtime::Engine::DataRead read;
  read.table = &table_;
  read.columns = columns_;
  read.where = where_;
  read.batch_rows = batch_rows;
  if (resumable() && after.rows_done > 0) read.after_key = after.last_key;
  read.any_order = any_order_ && !read.after_key;
  runtime::engine_of(c_).read_data(c_, read, sink);
}

}  // namespace migpkg::data
