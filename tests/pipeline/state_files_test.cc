// The JSON state files other processes read (run/status.json, delivery/<name>/state.json and stats.json) over
// common/json_state_file.h: every field round-trips, files written before this helper still load, absent
// keys keep their defaults, and damage is Corruption rather than a silently fresh state.
#include <gtest/gtest.h>

#include "common/json_state_file.h"
#include "delivery/delivery_state.h"
#include "pipeline/run_state.h"
#include "testing/temp_dir.h"

namespace brewline {
namespace {

TEST(JsonStateFileTest, ReaderKeepsAbsentAndNullFieldsAndWriterKeepsOrder) {
  struct S {
    int a = 1;
    std::string b = "keep";
    uint64_t c = 3;
    int nested = 4;
  };
  auto bind = [](auto& f, auto& s) {
    f("a", s.a);
    f("b", s.b);
    f("c", s.c);
    f.Object("n", [&](auto& n) { n("x", s.nested); });
  };
  S s;
  auto j = ParseJsonObject(R"({"a":7,"b":null,"n":{"x":9},"unknown":true})", "test file");
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  ASSERT_TRUE(ReadJsonFields(*j, "test file", [&](JsonFieldReader& r) { bind(r, s); }).ok());
  EXPECT_EQ(s.a, 7);
  EXPECT_EQ(s.b, "keep");
  EXPECT_EQ(s.c, 3u);
  EXPECT_EQ(s.nested, 9);

  nlohmann::ordered_json out;
  JsonFieldWriter w(out);
  bind(w, static_cast<const S&>(s));
  EXPECT_EQ(out.dump(), R"({"a":7,"b":"keep","c":3,"n":{"x":9}})");
}

TEST(JsonStateFileTest, WrongTypeAndNonObjectAreCorruptionNamingTheFile) {
  int a = 0;
  auto j = ParseJsonObject(R"({"a":"seven"})", "f");
  ASSERT_TRUE(j.ok());
  Status st = ReadJsonFields(*j, "state file x.json", [&](JsonFieldReader& r) { r("a", a); });
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("state file x.json is damaged"), std::string::npos) << st.ToString();
  EXPECT_EQ(ParseJsonObject("[1,2]", "state file").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseJsonObject("{\"a\":", "state file").status().code(), StatusCode::kCorruption);
}

TEST(JsonStateFileTest, MissingFileIsNulloptAndWriteIsReadBack) {
  testing::TempDir dir;
  FileSystem& fs = PosixFileSystem::Get();
  auto none = ReadJsonStateFile(fs, dir.Join("absent.json"), "state");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(WriteJsonStateFile(fs, dir.Join("s.json"), nlohmann::ordered_json{{"k", 1}}, -1, true).ok());
  EXPECT_EQ(*fs.ReadFile(dir.Join("s.json")), "{\"k\":1}\n");
  auto back = ReadJsonStateFile(fs, dir.Join("s.json"), "state");
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((**back)["k"], 1);
}

TEST(RunStateFileTest, EveryFieldRoundTripsAndOldPartialFilesRead) {
  pipeline::RunState s;
  s.pid = 42;
  s.running = true;
  s.started_ms = 1;
  s.updated_ms = 2;
  s.stopped_ms = 3;
  s.schedule = "rate(5 minutes)";
  s.source = "http://x";
  s.admin_url = "http://127.0.0.1:9";
  s.ingest_runs = 4;
  s.ingested = 5;
  s.fetch_failures = 6;
  s.invalid = 7;
  s.put_failures = 8;
  s.bad_events = 9;
  s.last_ingest_ms = 10;
  s.last_ingest_ok = true;
  s.last_ingest_result = "ok id=1";
  s.next_fire_ms = 11;
  s.catch_ups = 12;
  s.missed_periods = 13;
  s.table_syncs = 14;
  s.table_sync_failures = 15;
  s.table_last_error = "boom";
  s.stream_limits = "kinesis";
  s.stream_write_throttled = 16;
  s.stream_read_throttled = 17;
  const std::string text = pipeline::RunStateToJson(s);
  auto back = pipeline::RunStateFromJson(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(pipeline::RunStateToJson(*back), text);
  EXPECT_EQ(back->stream_limits, "kinesis");
  EXPECT_EQ(back->stream_write_throttled, 16u);
  EXPECT_EQ(back->stream_read_throttled, 17u);
  EXPECT_EQ(text.rfind("{\n  \"pid\": 42,\n  \"running\": true,", 0), 0u) << text;

  auto partial = pipeline::RunStateFromJson(R"({"pid": 7, "ingest": {"runs": 2}})");
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->pid, 7);
  EXPECT_EQ(partial->ingest_runs, 2u);
  EXPECT_EQ(partial->schedule, "");
  EXPECT_EQ(pipeline::RunStateFromJson(R"({"pid": "x"})").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(pipeline::RunStateFromJson("null").status().code(), StatusCode::kCorruption);
}

TEST(DeliveryStateFileTest, StateWithPendingBatchRoundTrips) {
  testing::TempDir dir;
  FileSystem& fs = PosixFileSystem::Get();
  delivery::DeliveryState s;
  s.checkpoints = {{"shardId-000000000000", "49"}, {"shardId-000000000001", "12"}};
  s.next_batch_id = 8;
  s.delivered_records = 100;
  s.failed_records = 2;
  s.delivered_objects = 9;
  s.delivered_bytes = 4096;
  delivery::PendingBatch b;
  b.batch_id = 7;
  b.data_key = "2026/11/27/10/raw-7";
  b.error_key = "errors/raw-7";
  b.oldest_arrival_ms = 1234;
  b.ranges["shardId-000000000000"] = delivery::ShardRange{"50", "59", 10};
  s.pending = b;
  ASSERT_TRUE(delivery::SaveDeliveryState(fs, dir.path(), s).ok());
  auto back = delivery::LoadDeliveryState(fs, dir.path());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->checkpoints, s.checkpoints);
  EXPECT_EQ(back->next_batch_id, 8u);
  EXPECT_EQ(back->delivered_records, 100u);
  EXPECT_EQ(back->failed_records, 2u);
  EXPECT_EQ(back->delivered_objects, 9u);
  EXPECT_EQ(back->delivered_bytes, 4096u);
  ASSERT_TRUE(back->pending.has_value());
  EXPECT_EQ(back->pending->batch_id, 7u);
  EXPECT_EQ(back->pending->data_key, b.data_key);
  EXPECT_EQ(back->pending->error_key, b.error_key);
  EXPECT_EQ(back->pending->oldest_arrival_ms, 1234);
  ASSERT_EQ(back->pending->ranges.size(), 1u);
  const auto& r = back->pending->ranges.at("shardId-000000000000");
  EXPECT_EQ(r.first_sequence, "50");
  EXPECT_EQ(r.last_sequence, "59");
  EXPECT_EQ(r.records, 10u);

  s.pending.reset();
  ASSERT_TRUE(delivery::SaveDeliveryState(fs, dir.path(), s).ok());
  back = delivery::LoadDeliveryState(fs, dir.path());
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->pending.has_value());
}

TEST(DeliveryStateFileTest, FilesFromBeforeTheHelperLoadAndDamageIsCorruption) {
  testing::TempDir dir;
  FileSystem& fs = PosixFileSystem::Get();
  EXPECT_TRUE(delivery::LoadDeliveryState(fs, dir.path()).ok()) << "a missing file is a fresh state";
  // As the previous writer laid it out (sorted keys, one-space indent).
  ASSERT_TRUE(WriteFileAtomically(fs, dir.Join("state.json"),
                                  R"({"checkpoints":{"s0":"5"},"delivered_bytes":1,"delivered_objects":1,)"
                                  R"("delivered_records":5,"failed_records":0,"format":1,"next_batch_id":2,)"
                                  R"("pending":{"batch_id":2,"data_key":"k","error_key":"e","oldest_arrival_ms":3,)"
                                  R"("ranges":{"s0":{"first":"6","last":"7","records":2}}}})")
                  .ok());
  auto old = delivery::LoadDeliveryState(fs, dir.path());
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->checkpoints.at("s0"), "5");
  ASSERT_TRUE(old->pending.has_value());
  EXPECT_EQ(old->pending->ranges.at("s0").records, 2u);

  ASSERT_TRUE(WriteFileAtomically(fs, dir.Join("state.json"), R"({"next_batch_id":2})").ok());
  EXPECT_EQ(delivery::LoadDeliveryState(fs, dir.path()).status().code(), StatusCode::kCorruption);
  ASSERT_TRUE(WriteFileAtomically(fs, dir.Join("state.json"), "{\"checkpoints\":").ok());
  EXPECT_EQ(delivery::LoadDeliveryState(fs, dir.path()).status().code(), StatusCode::kCorruption);
}

TEST(DeliveryStateFileTest, StatsRoundTripAndMissingIsNotFound) {
  testing::TempDir dir;
  FileSystem& fs = PosixFileSystem::Get();
  EXPECT_EQ(delivery::ReadDeliveryStats(fs, dir.path(), "raw").status().code(), StatusCode::kNotFound);
  const std::string state_dir = delivery::DeliveryStateDir(dir.path(), "raw");
  ASSERT_TRUE(fs.CreateDirs(state_dir).ok());
  delivery::DeliveryStats s;
  s.name = "raw";
  s.buffered_bytes = 1;
  s.buffered_records = 2;
  s.delivered_records = 3;
  s.delivered_objects = 4;
  s.delivered_bytes = 5;
  s.failed_records = 6;
  s.store_failures = 7;
  s.invocation_failures = 8;
  s.last_flush_ms = 9;
  s.updated_ms = 10;
  ASSERT_TRUE(delivery::SaveDeliveryStats(fs, state_dir, s).ok());
  auto back = delivery::ReadDeliveryStats(fs, dir.path(), "raw");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->name, "raw");
  EXPECT_EQ(back->buffered_bytes, 1u);
  EXPECT_EQ(back->buffered_records, 2u);
  EXPECT_EQ(back->delivered_records, 3u);
  EXPECT_EQ(back->delivered_objects, 4u);
  EXPECT_EQ(back->delivered_bytes, 5u);
  EXPECT_EQ(back->failed_records, 6u);
  EXPECT_EQ(back->store_failures, 7u);
  EXPECT_EQ(back->invocation_failures, 8u);
  EXPECT_EQ(back->last_flush_ms, 9);
  EXPECT_EQ(back->updated_ms, 10);
}

}  // namespace
}  // namespace brewline
