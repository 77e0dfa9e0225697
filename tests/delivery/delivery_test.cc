#include "delivery/delivery.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <regex>

#include "beer/beer.h"
#include "beers_fixture.h"
#include "common/base64.h"
#include "common/gzip.h"
#include "delivery/firehose_records.h"
#include "delivery_fixture.h"
#include "testing/process.h"

namespace brewline::delivery {
namespace {

using nlohmann::json;
using testdata::DeliveryRig;
using testdata::SplitLines;

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string AllContent(DeliveryRig& rig, const std::string& bucket, const std::string& prefix = "") {
  std::string all;
  for (const auto& o : rig.Objects(bucket, prefix)) {
    std::string c = rig.Content(bucket, o.key);
    if (o.key.size() > 3 && o.key.substr(o.key.size() - 3) == ".gz") c = GzipDecompress(c).value_or("<bad gzip>");
    all += c;
  }
  return all;
}

TEST(Delivery, RawDeliversEveryRecordExactlyAsPutWithFirehoseKeys) {
  DeliveryRig rig;
  std::vector<std::string> beers = testdata::LoadBeers();
  rig.Put(beers);
  auto d = rig.Open(DefaultRawDelivery());
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->Drain().ok());
  auto objects = rig.Objects("raw");
  ASSERT_EQ(objects.size(), 1u);  // 325 beers < 5 MiB: one object at the end of the drain
  // YYYY/MM/dd/HH/ from the oldest arrival (the fake clock: 2023-11-14T22:13:20Z), then the Firehose name.
  std::regex name(R"(2023/11/14/22/raw-1-2023-11-14-22-13-20-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})");
  EXPECT_TRUE(std::regex_match(objects[0].key, name)) << objects[0].key;
  std::string content = rig.Content("raw", objects[0].key);
  EXPECT_EQ(Sorted(SplitLines(content)), Sorted(beers));
  EXPECT_EQ(content.back(), '\n');
  auto stats = d->stats();
  EXPECT_EQ(stats.delivered_records, 325u);
  EXPECT_EQ(stats.delivered_objects, 1u);
  EXPECT_EQ(stats.buffered_bytes, 0u);
  EXPECT_EQ(rig.metrics_.GetCounter("brewline_delivery_records_delivered_total", "", {{"delivery", "raw"}}).value(), 325u);

  // Every line parses with Python's json and equals the record put.
  std::string objpath = rig.dir_.Join("raw.jsonl"), exppath = rig.dir_.Join("expected.jsonl");
  std::ofstream(objpath) << content;
  std::ofstream exp(exppath);
  for (const auto& b : beers) exp << b << "\n";
  exp.close();
  auto py = testing::RunCommand(
      {"/usr/bin/python3", "-c",
       "import json,sys\n"
       "got=[json.loads(l) for l in open(sys.argv[1], encoding='utf-8').read().split('\\n')[:-1]]\n"
       "exp=[json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]\n"
       "key=lambda b: b['id']\n"
       "assert sorted(got,key=key)==sorted(exp,key=key), 'mismatch'\n"
       "print(len(got))\n",
       objpath, exppath});
  ASSERT_EQ(py.exit_code, 0) << py.err;
  EXPECT_EQ(py.out, "325\n");

  // A restart delivers nothing twice.
  d.reset();
  auto again = rig.Open(DefaultRawDelivery());
  ASSERT_TRUE(again->Drain().ok());
  EXPECT_EQ(rig.Objects("raw").size(), 1u);
}

TEST(Delivery, ThrottledReadsArePacedNotFailed) {
  // One shard with Kinesis's limits, whose 5 reads/s another consumer has just spent.
  DeliveryRig rig(1, stream::ShardLimits::Kinesis());
  std::vector<std::string> beers = testdata::LoadBeers();
  rig.Put(beers);
  stream::IteratorRequest at;
  at.shard_id = "shardId-000000000000";
  auto iterator = rig.stream_->GetShardIterator(at);
  ASSERT_TRUE(iterator.ok()) << iterator.status().ToString();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(rig.stream_->GetRecords(*iterator, 1).ok()) << i;
  auto refused = rig.stream_->GetRecords(*iterator, 1);
  ASSERT_EQ(refused.status().type(), "ProvisionedThroughputExceededException");

  auto d = rig.Open(DefaultRawDelivery());
  ASSERT_TRUE(d);
  auto polled = d->PollOnce(nullptr);
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();  // throttled is not an error
  EXPECT_TRUE(polled->throttled);
  EXPECT_FALSE(polled->caught_up);
  const int64_t before = rig.clock_.NowMillis();
  ASSERT_TRUE(d->Drain().ok());  // waits for the allowance on the clock instead of failing
  EXPECT_GE(rig.clock_.NowMillis() - before, 200);
  auto objects = rig.Objects("raw");
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(Sorted(SplitLines(rig.Content("raw", objects[0].key))), Sorted(beers));
  EXPECT_EQ(d->stats().delivered_records, beers.size());
}

TEST(Delivery, BuffersBySize) {
  DeliveryRig rig(1);
  std::vector<std::string> records;
  for (int i = 0; i < 25; ++i) records.push_back("\"" + std::to_string(i) + std::string(100000, 'x') + "\"");
  rig.Put(records);
  DeliveryConfig c = DefaultRawDelivery();
  c.buffer_size_bytes = kMiB;
  c.buffer_interval = std::chrono::seconds(900);
  auto d = rig.Open(c);
  auto polled = d->PollOnce();
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  EXPECT_EQ(polled->records_read, 25u);
  // 11 records (1,100,0xx bytes) are the first to reach 1 MiB (1,048,576): two objects, 3 records left.
  auto objects = rig.Objects("raw");
  ASSERT_EQ(objects.size(), 2u);
  for (const auto& o : objects) {
    EXPECT_GE(o.size, kMiB);
    EXPECT_EQ(SplitLines(rig.Content("raw", o.key)).size(), 11u);
  }
  EXPECT_EQ(d->stats().buffered_records, 3u);
  EXPECT_GT(d->stats().buffered_bytes, 300000u);
  ASSERT_TRUE(d->FlushAll().ok());
  EXPECT_EQ(rig.Objects("raw").size(), 3u);
}

TEST(Delivery, BuffersByIntervalOnTheClock) {
  DeliveryRig rig;
  std::vector<std::string> beers = testdata::LoadBeers();
  rig.Put({beers[0], beers[1], beers[2]});
  DeliveryConfig c = DefaultRawDelivery();
  c.buffer_interval = std::chrono::seconds(60);
  auto d = rig.Open(c);
  ASSERT_TRUE(d->PollOnce().ok());
  EXPECT_TRUE(rig.Objects("raw").empty());
  EXPECT_EQ(d->stats().buffered_records, 3u);
  rig.clock_.Advance(std::chrono::seconds(59));
  ASSERT_TRUE(d->PollOnce().ok());
  EXPECT_TRUE(rig.Objects("raw").empty());
  rig.clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(d->PollOnce().ok());
  EXPECT_EQ(rig.Objects("raw").size(), 1u);
  EXPECT_EQ(d->stats().buffered_records, 0u);
  // The stats file other processes read.
  auto persisted = ReadDeliveryStats(PosixFileSystem::Get(), rig.dir_.path(), "raw");
  ASSERT_TRUE(persisted.ok());
  EXPECT_EQ(persisted->delivered_records, 3u);

  // Run() sleeps on the fake clock, so the interval passes without real waiting.
  rig.Put({beers[3]});
  StopSignal stop;
  std::thread runner([&] { EXPECT_TRUE(d->Run(stop).ok()); });
  for (int i = 0; i < 2000 && rig.Objects("raw").size() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop.RequestStop();
  runner.join();
  EXPECT_EQ(rig.Objects("raw").size(), 2u);
}

TEST(Delivery, GzipObjectsAreReadableByGzip) {
  DeliveryRig rig;
  std::vector<std::string> beers = testdata::LoadBeers();
  rig.Put(beers);
  DeliveryConfig c = DefaultRawDelivery();
  c.compression = Compression::kGzip;
  auto d = rig.Open(c);
  ASSERT_TRUE(d->Drain().ok());
  auto objects = rig.Objects("raw");
  ASSERT_EQ(objects.size(), 1u);
  ASSERT_EQ(objects[0].key.substr(objects[0].key.size() - 3), ".gz");
  std::string path = rig.store_.root_dir() + "/raw/" + objects[0].key;
  auto r = testing::RunCommand({"/bin/gzip", "-dc", path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Sorted(SplitLines(r.out)), Sorted(beers));
  auto cat = testing::RunCommand({testing::BrewlineBinary(), "bucket", "cat", "raw", objects[0].key, "--data-dir", rig.dir_.path()});
  ASSERT_EQ(cat.exit_code, 0) << cat.err;
  EXPECT_EQ(cat.out, r.out);
}

TEST(Delivery, CleanedCsvReadsBackWithPythonAndFailuresGoToErrorOutput) {
  DeliveryRig rig;
  std::vector<std::string> beers = testdata::LoadBeers();
  std::vector<std::string> invalid = {"not json", R"({"id":1})", R"({"id":2,"name":"n","ibu":"high"})"};
  std::vector<std::string> records = beers;
  records.insert(records.begin() + 100, invalid.begin(), invalid.end());
  rig.Put(records);
  auto d = rig.Open(DefaultCleanedDelivery());
  ASSERT_TRUE(d->Drain().ok());
  EXPECT_EQ(d->stats().delivered_records, 325u);
  EXPECT_EQ(d->stats().failed_records, 3u);

  // Error output: processing-failed/YYYY/MM/dd/HH/, Firehose error records, raw data intact.
  std::string errors = AllContent(rig, "cleaned", "processing-failed/2023/11/14/22/");
  std::vector<std::string> raw_failed;
  for (const auto& line : SplitLines(errors)) {
    json e = json::parse(line);
    EXPECT_EQ(e["errorCode"], kErrorProcessingFailed);
    EXPECT_EQ(e["attemptsMade"], 1);
    EXPECT_TRUE(e.contains("arrivalTimestamp") && e.contains("attemptEndingTimestamp") && e.contains("lambdaArn"));
    raw_failed.push_back(*Base64Decode(e["rawData"].get<std::string>()));
  }
  EXPECT_EQ(Sorted(raw_failed), Sorted(invalid));

  std::string csv = AllContent(rig, "cleaned", "2023/");
  std::string path = rig.dir_.Join("cleaned.csv");
  std::ofstream(path) << csv;
  auto py = testing::RunCommand(
      {"/usr/bin/python3", "-c",
       "import csv,json,sys\nimport pandas as pd\n"
       "names=['id','name','abv','ibu','target_fg','target_og','ebc','srm','ph']\n"
       "df=pd.read_csv(sys.argv[1],header=None,names=names,keep_default_na=False,na_values=[''])\n"
       "assert str(df['id'].dtype)=='int64', df['id'].dtype\n"
       "assert str(df['name'].dtype)=='object'\n"
       "for c in names[2:]: assert str(df[c].dtype)=='float64', (c, df[c].dtype)\n"
       "rows=list(csv.reader(open(sys.argv[1],newline='',encoding='utf-8')))\n"
       "assert len(rows)==len(df) and all(len(r)==9 for r in rows)\n"
       "out=[]\n"
       "for r in df.itertuples(index=False):\n"
       "  out.append([int(r[0]), r[1]] + [None if pd.isna(v) else float(v) for v in r[2:]])\n"
       "print(json.dumps(out))\n",
       path});
  ASSERT_EQ(py.exit_code, 0) << py.err;
  json rows = json::parse(py.out);
  ASSERT_EQ(rows.size(), 325u);
  std::map<int64_t, json> by_id;
  for (const auto& r : rows) by_id[r[0].get<int64_t>()] = r;
  ASSERT_EQ(by_id.size(), 325u);
  int nulls = 0;
  for (const auto& b : beers) {
    auto expect = beer::ParseBeer(b);
    ASSERT_TRUE(expect.ok());
    const json& r = by_id.at(expect->id);
    EXPECT_EQ(r[1].get<std::string>(), expect->name);
    std::vector<std::optional<double>> m = {expect->abv, expect->ibu, expect->target_fg, expect->target_og,
                                            expect->ebc, expect->srm, expect->ph};
    for (size_t k = 0; k < m.size(); ++k) {
      if (!m[k]) {
        EXPECT_TRUE(r[2 + k].is_null()) << expect->id << " col " << k;
        ++nulls;
      } else {
        EXPECT_EQ(r[2 + k].get<double>(), *m[k]) << expect->id << " col " << k;
      }
    }
  }
  EXPECT_GT(nulls, 0);  // the dataset has null measures; they must come back as NaN, not 0
}

TEST(Delivery, SecondInstanceIsRefused) {
  DeliveryRig rig;
  auto first = rig.Open(DefaultRawDelivery());
  ASSERT_TRUE(first);
  auto second = Delivery::Open(DefaultRawDelivery(), rig.Env());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("already running"), std::string::npos);
  EXPECT_TRUE(Delivery::Open(DefaultCleanedDelivery(), rig.Env()).ok());  // other deliveries are independent
  first.reset();
  EXPECT_TRUE(Delivery::Open(DefaultRawDelivery(), rig.Env()).ok());
}

// A store that fails the next `fail_puts` puts, optionally after writing the object (a crash between the
// object write and the commit, as seen by the delivery).
class FlakyStore final : public store::ObjectStore {
 public:
  explicit FlakyStore(store::ObjectStore& base) : base_(base) {}
  Status Put(const std::string& b, const std::string& k, std::string_view d) override {
    ++puts;
    if (fail_puts > 0) {
      --fail_puts;
      if (write_then_fail) base_.Put(b, k, d).IgnoreError();
      return Unavailable("injected store failure");
    }
    return base_.Put(b, k, d);
  }
  Result<std::string> Get(const std::string& b, const std::string& k) override { return base_.Get(b, k); }
  Result<store::ObjectInfo> Head(const std::string& b, const std::string& k) override { return base_.Head(b, k); }
  Result<store::ListPage> List(const std::string& b, const store::ListOptions& o) override { return base_.List(b, o); }
  Status Delete(const std::string& b, const std::string& k) override { return base_.Delete(b, k); }
  int fail_puts = 0;
  bool write_then_fail = false;
  int puts = 0;

 private:
  store::ObjectStore& base_;
};

TEST(Delivery, StoreFailuresAreRetriedWithBackoff) {
  DeliveryRig rig;
  std::vector<std::string> beers = testdata::LoadBeers();
  rig.Put(beers);
  FlakyStore flaky(rig.store_);
  flaky.fail_puts = 3;
  auto d = rig.Open(DefaultRawDelivery(), &flaky);
  int64_t before = rig.clock_.NowMillis();
  ASSERT_TRUE(d->Drain().ok());
  EXPECT_EQ(flaky.puts, 4);
  EXPECT_EQ(d->stats().store_failures, 3u);
  EXPECT_GE(rig.clock_.NowMillis(), before);  // waited on the (fake) clock between attempts
  EXPECT_EQ(Sorted(SplitLines(AllContent(rig, "raw"))), Sorted(beers));
}

TEST(Delivery, PendingBatchIsRedoneExactlyAfterACrash) {
  DeliveryRig rig;
  std::vector<std::string> beers = testdata::LoadBeers();
  rig.Put(beers);
  FlakyStore flaky(rig.store_);
  flaky.fail_puts = 1000;
  flaky.write_then_fail = true;  // the object lands, then the "process dies" before committing
  DeliveryConfig c = DefaultCleanedDelivery();
  c.store_retry.max_attempts = 2;
  std::string pending_key;
  {
    auto d = rig.Open(c, &flaky);
    EXPECT_FALSE(d->Drain().ok());
    auto state = LoadDeliveryState(PosixFileSystem::Get(), DeliveryStateDir(rig.dir_.path(), "cleaned"));
    ASSERT_TRUE(state.ok());
    ASSERT_TRUE(state->pending.has_value());
    EXPECT_TRUE(state->checkpoints.empty());
    pending_key = state->pending->data_key;
  }
  ASSERT_EQ(rig.Objects("cleaned").size(), 1u);  // written, not committed
  // More records arrive meanwhile; they must not join the redone batch.
  rig.Put({beers[0]});
  auto d = rig.Open(c);
  ASSERT_TRUE(d->Drain().ok());
  auto objects = rig.Objects("cleaned");
  ASSERT_EQ(objects.size(), 2u);
  std::string redone = rig.Content("cleaned", pending_key);
  EXPECT_EQ(SplitLines(redone).size(), 325u);
  EXPECT_EQ(SplitLines(AllContent(rig, "cleaned")).size(), 326u);
  auto state = LoadDeliveryState(PosixFileSystem::Get(), DeliveryStateDir(rig.dir_.path(), "cleaned"));
  EXPECT_FALSE(state->pending.has_value());
  EXPECT_EQ(state->delivered_records, 326u);
}

// An invoker that forwards to the real transform but drops one record from the response and adds an unknown id.
class LossyInvoker final : public TransformInvoker {
 public:
  Result<std::string> Invoke(std::string_view event) override {
    ASSIGN_OR_RETURN(std::string response, inner_.Invoke(event));
    json j = json::parse(response);
    j["records"].erase(j["records"].begin());
    j["records"].push_back({{"recordId", "unknown"}, {"result", "Ok"}, {"data", Base64Encode("9,x,,,,,,,\n")}});
    return j.dump();
  }

 private:
  InProcessTransformInvoker inner_;
};

TEST(Delivery, MissingRecordIdFailsThatRecordIntoErrorOutput) {
  DeliveryRig rig(1);
  std::vector<std::string> beers = testdata::LoadBeers();
  rig.Put({beers[0], beers[1], beers[2]});
  LossyInvoker lossy;
  auto d = rig.Open(DefaultCleanedDelivery(), nullptr, &lossy);
  ASSERT_TRUE(d->Drain().ok());
  std::string csv = AllContent(rig, "cleaned", "2023/");
  EXPECT_EQ(csv, beer::ToCsvLine(*beer::ParseBeer(beers[1])) + beer::ToCsvLine(*beer::ParseBeer(beers[2])));
  auto lines = SplitLines(AllContent(rig, "cleaned", "processing-failed/"));
  ASSERT_EQ(lines.size(), 1u);
  json e = json::parse(lines[0]);
  EXPECT_EQ(e["errorCode"], kErrorMissingRecordId);
  EXPECT_EQ(*Base64Decode(e["rawData"].get<std::string>()), beers[0]);
}

}  // namespace
}  // namespace brewline::delivery
