#pragma once
// A batch's content digest taken on a thread of its own while the caller does something else with
// the same rows: export encodes a batch while its digest is taken, so that neither the thread
// that reads the table nor the one that encodes it also hashes every row (the digest was a
// quarter of the reader's time, which bounded the export).
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/data/content_digest.hpp"

namespace migpkg::data {

class BatchDigester {
 public:
  BatchDigester();
  ~BatchDigester();  // waits for the batch being digested, then stops the thread
  BatchDigester(const BatchDigester&) = delete;
  BatchDigester& operator=(const BatchDigester&) = delete;

  // One batch being digested, for the scope of the rows: its destructor waits for a digest not
  // waited for, so that the rows can end right after it, however the scope is left.
  class Started {
   public:
    // Starts digesting `rows`, which must stay alive and unchanged for the scope. One batch at a
    // time per digester.
    Started(BatchDigester& digester, const std::vector<Row>& rows);
    ~Started();
    Started(const Started&) = delete;
    Started& operator=(const Started&) = delete;
    // The rows' digest; waits for it (and throws what digesting threw).
    ContentDigest wait();

   private:
    BatchDigester& digester_;
  };

 private:
  void start(const std::vector<Row>& rows);
  ContentDigest wait();
  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  const std::vector<Row>* rows_ = nullptr;  // the batch to digest, while there is one
  bool busy_ = false;                       // a batch is started and not yet waited for
  bool stopping_ = false;
  ContentDigest digest_;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace migpkg::data
