// An in-process delivery rig over the real LocalStream and FsObjectStore, driven by a FakeClock.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "delivery/delivery.h"
#include "store/fs_object_store.h"
#include "stream/local_stream.h"
#include "stream/shard_limits.h"
#include "testing/temp_dir.h"

namespace brewline::delivery::testdata {

class DeliveryRig {
 public:
  explicit DeliveryRig(int shards = 2, stream::ShardLimits limits = stream::ShardLimits::Unlimited())
      : store_(PosixFileSystem::Get(), store::BucketsDir(dir_.path())) {
    stream::StreamOptions options;
    options.shard_count = shards;
    options.limits = limits;
    auto s = stream::LocalStream::Create(PosixFileSystem::Get(), clock_, dir_.path(), "beers", options);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    stream_ = std::move(*s);
  }

  // PutRecords in batches of 500 (one fsync per batch), partition key = index.
  void Put(const std::vector<std::string>& records) {
    std::vector<stream::PutRecordInput> batch;
    for (size_t i = 0; i < records.size(); ++i) {
      stream::PutRecordInput in;
      in.partition_key = std::to_string(i);
      in.data = records[i];
      batch.push_back(std::move(in));
      if (batch.size() == 500 || i + 1 == records.size()) {
        auto r = stream_->PutRecords(batch);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        ASSERT_EQ(r->failed_record_count, 0);
        batch.clear();
      }
    }
  }

  DeliveryEnv Env(store::ObjectStore* store = nullptr, TransformInvoker* invoker = nullptr) {
    DeliveryEnv env;
    env.stream = stream_.get();
    env.store = store != nullptr ? store : &store_;
    env.clock = &clock_;
    env.fs = &PosixFileSystem::Get();
    env.data_dir = dir_.path();
    env.invoker = invoker;
    env.metrics = &metrics_;
    return env;
  }

  std::unique_ptr<Delivery> Open(const DeliveryConfig& config, store::ObjectStore* store = nullptr,
                                 TransformInvoker* invoker = nullptr) {
    auto d = Delivery::Open(config, Env(store, invoker));
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? std::move(*d) : nullptr;
  }

  std::vector<store::ObjectInfo> Objects(const std::string& bucket, const std::string& prefix = "") {
    store::ListOptions opts;
    opts.prefix = prefix;
    std::vector<store::ObjectInfo> all;
    for (;;) {
      auto page = store_.List(bucket, opts);
      EXPECT_TRUE(page.ok());
      if (!page.ok()) break;
      all.insert(all.end(), page->objects.begin(), page->objects.end());
      if (!page->is_truncated) break;
      opts.continuation_token = page->next_continuation_token;
    }
    return all;
  }

  std::string Content(const std::string& bucket, const std::string& key) { return store_.Get(bucket, key).value_or(""); }

  testing::TempDir dir_;
  FakeClock clock_;
  MetricsRegistry metrics_;
  store::FsObjectStore store_;
  std::unique_ptr<stream::LocalStream> stream_;
};

inline std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

}  // namespace brewline::delivery::testdata
