// The `brewline stream …` commands end to end through the built binary: Kinesis-shaped JSON, exit codes
// (0 ok, 1 runtime failure, 2 usage), one-line errors, put-records result lines in input order.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/base64.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::stream {
namespace {

class StreamCliTest : public ::testing::Test {
 protected:
  testing::CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), testing::BrewlineBinary());
    args.push_back("--data-dir");
    args.push_back(dir_.path());
    return testing::RunCommand(args);
  }
  static std::vector<nlohmann::json> Lines(const std::string& out) {
    std::vector<nlohmann::json> v;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) v.push_back(nlohmann::json::parse(line));
    return v;
  }
  testing::TempDir dir_;
};

TEST_F(StreamCliTest, CreateDescribeListShards) {
  auto r = Run({"stream", "create", "--stream", "beers", "--shards", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = nlohmann::json::parse(r.out)["StreamDescriptionSummary"];
  EXPECT_EQ(summary["StreamName"], "beers");
  EXPECT_EQ(summary["OpenShardCount"], 3);
  EXPECT_EQ(summary["RetentionPeriodHours"], 24);
  EXPECT_EQ(summary["StreamStatus"], "ACTIVE");
  r = Run({"stream", "create", "--stream", "beers", "--shards", "3"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ResourceInUseException"), std::string::npos) << r.err;
  r = Run({"stream", "list-shards", "--stream", "beers"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto shards = nlohmann::json::parse(r.out)["Shards"];
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_EQ(shards[0]["ShardId"], "shardId-000000000000");
  EXPECT_EQ(shards[0]["HashKeyRange"]["StartingHashKey"], "0");
  EXPECT_EQ(shards[2]["HashKeyRange"]["EndingHashKey"], "340282366920938463463374607431768211455");
  EXPECT_TRUE(shards[1]["SequenceNumberRange"].contains("StartingSequenceNumber"));
  r = Run({"stream", "describe", "--stream", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ResourceNotFoundException"), std::string::npos);
  EXPECT_EQ(Run({"stream", "create", "--stream", "x", "--shards", "0"}).exit_code, 2);
  EXPECT_EQ(Run({"stream", "bogus"}).exit_code, 2);
  EXPECT_EQ(Run({"stream", "create", "--help"}).exit_code, 0);
}

TEST_F(StreamCliTest, PutRecordsPrintsOneLinePerRecordInOrderThenGetRecordsReadsThem) {
  ASSERT_EQ(Run({"stream", "create", "--stream", "s", "--shards", "1"}).exit_code, 0);
  const std::string file = dir_.Join("in.jsonl");
  {
    std::ofstream f(file);
    for (int i = 0; i < 1200; ++i) {
      f << "{\"PartitionKey\":\"k" << i << "\",\"Data\":\"" << Base64Encode("payload-" + std::to_string(i)) << "\"}\n";
      if (i == 600) f << "not json\n";
    }
  }
  auto r = Run({"stream", "put-records", "--stream", "s", "--file", file});
  EXPECT_EQ(r.exit_code, 1);  // one line was bad
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1201u);
  EXPECT_EQ(lines[601]["ErrorCode"], "ValidationException");
  std::string last;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i == 601) continue;
    ASSERT_EQ(lines[i]["ShardId"], "shardId-000000000000");
    const std::string seq = lines[i]["SequenceNumber"];
    EXPECT_LT(last, seq);
    last = seq;
  }
  r = Run({"stream", "get-records", "--stream", "s", "--shard-id", "shardId-000000000000", "--iterator-type",
           "TRIM_HORIZON", "--limit", "100", "--all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto recs = Lines(r.out);
  ASSERT_EQ(recs.size(), 1200u);
  EXPECT_EQ(recs[0]["PartitionKey"], "k0");
  EXPECT_EQ(*Base64Decode(recs[1199]["Data"].get<std::string>()), "payload-1199");
  EXPECT_TRUE(recs[0]["ApproximateArrivalTimestamp"].is_number());
  // AFTER_SEQUENCE_NUMBER, and a checkpoint round trip.
  const std::string seq = recs[1197]["SequenceNumber"];
  r = Run({"stream", "get-records", "--stream", "s", "--shard-id", "shardId-000000000000", "--iterator-type",
           "AFTER_SEQUENCE_NUMBER", "--sequence-number", seq});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).size(), 2u);
  r = Run({"stream", "checkpoint", "set", "--stream", "s", "--consumer", "raw", "--shard-id", "shardId-000000000000",
           "--sequence-number", seq});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"stream", "checkpoint", "get", "--stream", "s", "--consumer", "raw"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["Checkpoints"]["shardId-000000000000"], seq);
  r = Run({"stream", "put-record", "--stream", "s", "--partition-key", "p", "--data", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["EncryptionType"], "NONE");
  EXPECT_EQ(Run({"stream", "put-record", "--stream", "s", "--partition-key", "p"}).exit_code, 2);
  r = Run({"stream", "get-records", "--stream", "s", "--shard-id", "shardId-000000000009"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ResourceNotFoundException"), std::string::npos);
}

// put-records enforces Kinesis's 1,000 records/s per shard by default: a file larger than one second's
// allowance still lands every record (throttled entries retried), and says it was throttled.
TEST_F(StreamCliTest, PutRecordsUnderKinesisLimitsLandsEverythingAndSaysSo) {
  ASSERT_EQ(Run({"stream", "create", "--stream", "s", "--shards", "1"}).exit_code, 0);
  const std::string file = dir_.Join("in.jsonl");
  {
    std::ofstream f(file);
    for (int i = 0; i < 1300; ++i) f << "{\"PartitionKey\":\"k" << i << "\",\"Data\":\"" << Base64Encode("v") << "\"}\n";
  }
  auto r = Run({"stream", "put-records", "--stream", "s", "--file", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1300u);
  for (const auto& l : lines) ASSERT_EQ(l["ShardId"], "shardId-000000000000") << l.dump();
  EXPECT_NE(r.err.find("hit the per-shard limits (--limits kinesis) and were retried"), std::string::npos) << r.err;

  r = Run({"stream", "put-records", "--stream", "s", "--file", file, "--limits", "unlimited"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).size(), 1300u);
  EXPECT_EQ(r.err.find("per-shard limits"), std::string::npos) << r.err;
  EXPECT_EQ(Run({"stream", "put-records", "--stream", "s", "--file", file, "--limits", "fast"}).exit_code, 2);

  // --all backs off when the 5 calls/s read allowance runs out, and still reads everything.
  r = Run({"stream", "get-records", "--stream", "s", "--shard-id", "shardId-000000000000", "--limit", "400", "--all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Lines(r.out).size(), 2600u);
}

}  // namespace
}  // namespace brewline::stream
