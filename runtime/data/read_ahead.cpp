#include "runtime/data/read_ahead.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

// jemalloc's control interface when it is the executable's allocator (cli/allocator_tuning.cpp
// has the same declaration); weak, so that other allocators link and see a null function.
extern "C" int mallctl(const char* name, void* old_value, std::size_t* old_size, void* new_value,
                       std::size_t new_size) __attribute__((weak));

namespace migpkg::data {
namespace {

// The calling thread's jemalloc arena, for the reader to allocate from the same one: the rows
// it allocates are freed by the writer, and with an arena each the freed pages of both stayed
// counted in the process, so its peak memory grew with the batches copied. -1 without jemalloc.
long current_arena() {
  unsigned arena = 0;
  std::size_t size = sizeof arena;
  if (!mallctl || mallctl("thread.arena", &arena, &size, nullptr, 0) != 0) return -1;
  return arena;
}

void use_arena(long arena) {
  if (!mallctl || arena < 0) return;
  unsigned chosen = static_cast<unsigned>(arena);
  mallctl("thread.arena", nullptr, nullptr, &chosen, sizeof chosen);
}

// The queue between the reader and the writer. The reader waits while `depth` batches wait; the
// writer waits while none does and the reader is not done.
class BatchQueue {
 public:
  explicit BatchQueue(std::size_t depth) : depth_(depth ? depth : 1) {}

  // False when the writer stopped: the reader is to stop too.
  bool push(std::vector<Row> batch) {
    std::unique_lock<std::mutex> lock(mutex_);
    room_.wait(lock, [&] { return waiting_.size() < depth_ || stopped_; });
    if (stopped_) return false;
    waiting_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }
  // The reader is done, after its last batch or with what it threw.
  void finish(std::exception_ptr failure) {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    failure_ = std::move(failure);
    ready_.notify_one();
  }
  // The next batch; nullopt once the reader is done and every batch was taken (then what it threw,
  // if anything, is thrown).
  std::optional<std::vector<Row>> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return !waiting_.empty() || done_; });
    if (!waiting_.empty()) {
      std::vector<Row> batch = std::move(waiting_.front());
      waiting_.pop_front();
      room_.notify_one();
      return batch;
    }
    if (failure_) std::rethrow_exception(failure_);
    return std::nullopt;
  }
  // The writer stopped: the reader's next push returns false, and what waits is freed.
  void stop() {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
    waiting_.clear();
    room_.notify_one();
  }

 private:
  const std::size_t depth_;
  std::mutex mutex_;
  std::condition_variable room_, ready_;
  std::deque<std::vector<Row>> waiting_;
  bool done_ = false, stopped_ = false;
  std::exception_ptr failure_;
};

// Thrown through source.read to end it when the writer stopped.
struct ReaderStopped {};

}  // namespace

void read_ahead(const BatchProducer& produce, std::size_t depth,
                const std::function<void(std::vector<Row>&)>& prepare,
                const std::function<void(std::vector<Row>)>& sink) {
  BatchQueue queue(depth);
  const long arena = current_arena();
  std::thread reader([&produce, &queue, &prepare, arena] {
    use_arena(arena);
    std::exception_ptr failure;
    try {
      produce([&queue, &prepare](std::vector<Row> batch) {
        if (prepare) prepare(batch);
        if (!queue.push(std::move(batch))) throw ReaderStopped{};
      });
    } catch (const ReaderStopped&) {
    } catch (...) {
      failure = std::current_exception();
    }
    queue.finish(failure);
  });
  // The reader is joined on every way out: it uses `produce` and the queue, which end here.
  struct Join {
    BatchQueue& queue;
    std::thread& thread;
    ~Join() {
      queue.stop();
      thread.join();
    }
  } join{queue, reader};
  while (std::optional<std::vector<Row>> batch = queue.pop()) sink(std::move(*batch));
}

void read_ahead(TableSource& source, const Checkpoint& after, std::size_t batch_rows,
                std::size_t depth, const std::function<void(std::vector<Row>&)>& prepare,
                const std::function<void(std::vector<Row>)>& sink) {
  read_ahead(
      [&](const std::function<void(std::vector<Row>)>& push) {
        source.read(after, batch_rows, push);
      },
      depth, prepare, sink);
}

}  // namespace migpkg::data
