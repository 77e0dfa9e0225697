// Helpers for the pipeline's end-to-end tests: reading what landed in the buckets and on the stream.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "store/fs_object_store.h"
#include "stream/local_stream.h"

namespace brewline::pipeline::testing {

// Every line of every object under `bucket` whose key does not start with `skip_prefix`, in key order.
inline std::vector<std::string> BucketLines(const std::string& data_dir, const std::string& bucket,
                                            std::vector<std::string>* keys = nullptr) {
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  std::vector<std::string> lines;
  store::ListOptions opts;
  while (true) {
    auto page = store.List(bucket, opts);
    if (!page.ok()) break;
    for (const auto& o : page->objects) {
      if (keys != nullptr) keys->push_back(o.key);
      auto data = store.Get(bucket, o.key);
      if (!data.ok()) continue;
      size_t start = 0;
      while (start < data->size()) {
        size_t nl = data->find('\n', start);
        if (nl == std::string::npos) nl = data->size();
        lines.push_back(data->substr(start, nl - start));
        start = nl + 1;
      }
    }
    if (!page->is_truncated) break;
    opts.continuation_token = page->next_continuation_token;
  }
  return lines;
}

// The data of every record on the stream, shard by shard in sequence order.
inline std::vector<std::string> StreamData(const std::string& data_dir, const std::string& name = "beers") {
  std::vector<std::string> out;
  auto s = stream::LocalStream::Open(PosixFileSystem::Get(), SystemClock::Get(), data_dir, name);
  if (!s.ok()) return out;
  auto shards = (*s)->ListShards();
  if (!shards.ok()) return out;
  for (const auto& sh : *shards) {
    stream::IteratorRequest req;
    req.shard_id = sh.shard_id;
    auto it = (*s)->GetShardIterator(req);
    if (!it.ok()) continue;
    std::string iter = *it;
    for (int guard = 0; guard < 1000 && !iter.empty(); ++guard) {
      auto got = (*s)->GetRecords(iter, 10000);
      if (!got.ok() || got->records.empty()) break;
      for (auto& r : got->records) out.push_back(r.data);
      iter = got->next_shard_iterator;
    }
  }
  return out;
}

inline std::string DatasetPath(const std::string& source_dir) {
  return source_dir + "/.cache/npm/node_modules/punkapi-db/data.json";
}

}  // namespace brewline::pipeline::testing
