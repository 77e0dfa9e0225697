// A child process for the crash and multi-process tests: puts records with deterministic contents from
// several threads and prints one line per acknowledged record ("<id> <shard> <sequence>") right after
// PutRecords returned, with a single write(2), so whatever the parent reads was acknowledged durable.
//   stream_crash_writer DATA_DIR STREAM ID_PREFIX THREADS BATCHES_PER_THREAD [SEGMENT_BYTES]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "stream/local_stream.h"
#include "stream_test_data.h"

int main(int argc, char** argv) {
  using namespace brewline;
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s DATA_DIR STREAM ID_PREFIX THREADS BATCHES [SEGMENT_BYTES]\n", argv[0]);
    return 2;
  }
  const std::string data_dir = argv[1];
  const std::string name = argv[2];
  const std::string prefix = argv[3];
  const int threads = std::atoi(argv[4]);
  const int batches = std::atoi(argv[5]);
  stream::StreamOptions options;
  if (argc > 6) options.segment_bytes = std::strtoull(argv[6], nullptr, 10);
  auto s = stream::LocalStream::Open(PosixFileSystem::Get(), SystemClock::Get(), data_dir, name, options);
  if (!s.ok()) {
    std::fprintf(stderr, "open: %s\n", s.status().ToString().c_str());
    return 1;
  }
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      uint64_t seed = std::hash<std::string>()(prefix) + static_cast<uint64_t>(t) * 7919;
      for (int b = 0; b < batches; ++b) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        const int n = 1 + static_cast<int>((seed >> 33) % 40);
        std::vector<stream::PutRecordInput> batch;
        for (int i = 0; i < n; ++i) {
          std::string id = prefix + "-t" + std::to_string(t) + "-b" + std::to_string(b) + "-" + std::to_string(i);
          batch.push_back({id, stream::testdata::RecordData(id), std::nullopt});
        }
        auto out = (*s)->PutRecords(batch);
        if (!out.ok()) {
          std::fprintf(stderr, "put: %s\n", out.status().ToString().c_str());
          std::exit(1);
        }
        std::string acks;
        for (size_t i = 0; i < batch.size(); ++i) {
          const auto& r = out->records[i];
          if (!r.ok()) continue;
          acks += batch[i].partition_key + " " + r.shard_id + " " + r.sequence_number + "\n";
        }
        if (!acks.empty() && ::write(1, acks.data(), acks.size()) != static_cast<ssize_t>(acks.size())) std::exit(1);
      }
    });
  }
  for (auto& w : workers) w.join();
  return 0;
}
