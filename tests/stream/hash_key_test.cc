// Routing: MD5 of the partition key into evenly split hash ranges, checked against an independent
// computation by Python's hashlib, for 1, 2, 4 and 7 shards.
#include "stream/hash_key.h"

#include <gtest/gtest.h>

#include <sstream>

#include "stream/local_stream.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::stream {
namespace {

TEST(HashKeyTest, ParseAndFormat) {
  EXPECT_EQ(HashKeyToString(*ParseHashKey("0")), "0");
  EXPECT_EQ(HashKeyToString(*ParseHashKey("340282366920938463463374607431768211455")),
            "340282366920938463463374607431768211455");
  EXPECT_FALSE(ParseHashKey("340282366920938463463374607431768211456").ok());
  EXPECT_FALSE(ParseHashKey("-1").ok());
  EXPECT_FALSE(ParseHashKey("007").ok());
  EXPECT_FALSE(ParseHashKey("").ok());
  EXPECT_FALSE(ParseHashKey("12a").ok());
}

TEST(HashKeyTest, EvenRangesMatchKinesis) {
  auto two = EvenHashKeyRanges(2);
  EXPECT_EQ(HashKeyToString(two[0].end), "170141183460469231731687303715884105727");
  EXPECT_EQ(HashKeyToString(two[1].start), "170141183460469231731687303715884105728");
  auto three = EvenHashKeyRanges(3);
  EXPECT_EQ(HashKeyToString(three[1].start), "113427455640312821154458202477256070485");
  EXPECT_EQ(HashKeyToString(three[2].end), "340282366920938463463374607431768211455");
  EXPECT_EQ(HashKeyToString(EvenHashKeyRanges(1)[0].end), "340282366920938463463374607431768211455");
}

// Python computes, for each key and shard count, the shard Kinesis would choose.
TEST(HashKeyTest, RoutingMatchesPythonHashlib) {
  std::vector<std::string> keys;
  for (int i = 0; i < 200; ++i) keys.push_back("beer-" + std::to_string(i * 7919));
  keys.push_back("ü-unicode-键");
  std::string input;
  for (const auto& k : keys) input += k + "\n";
  const std::string script =
      "import sys, hashlib\n"
      "keys = sys.stdin.buffer.read().decode('utf-8').split('\\n')[:-1]\n"
      "for n in (1, 2, 4, 7):\n"
      "    step = (1 << 128) // n\n"
      "    print(' '.join(str(min(n - 1, int(hashlib.md5(k.encode('utf-8')).hexdigest(), 16) // step)) for k in keys))\n";
  auto r = testing::RunCommand({"/usr/bin/python3", "-c", script}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  for (int n : {1, 2, 4, 7}) {
    std::string line;
    ASSERT_TRUE(std::getline(lines, line));
    std::istringstream nums(line);
    auto ranges = EvenHashKeyRanges(n);
    for (const auto& k : keys) {
      int expected = -1;
      nums >> expected;
      EXPECT_EQ(ShardForHashKey(ranges, PartitionKeyHash(k)), expected) << k << " with " << n << " shards";
    }
  }
}

TEST(HashKeyTest, StreamRoutesByKeyAndExplicitHashKey) {
  testing::TempDir dir;
  FakeClock clock;
  StreamOptions opts;
  opts.shard_count = 4;
  auto s = LocalStream::Create(PosixFileSystem::Get(), clock, dir.path(), "beers", opts);
  ASSERT_TRUE(s.ok());
  auto ranges = EvenHashKeyRanges(4);
  for (int i = 0; i < 40; ++i) {
    std::string key = "k" + std::to_string(i);
    auto r = (*s)->PutRecord({key, "x", std::nullopt});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->shard_id, "shardId-00000000000" + std::to_string(ShardForHashKey(ranges, PartitionKeyHash(key))));
  }
  auto r = (*s)->PutRecord({"k0", "x", HashKeyToString(ranges[3].start)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->shard_id, "shardId-000000000003");
  r = (*s)->PutRecord({"k0", "x", HashKeyToString(ranges[2].end)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->shard_id, "shardId-000000000002");
  auto shards = (*s)->ListShards();
  ASSERT_TRUE(shards.ok());
  ASSERT_EQ(shards->size(), 4u);
  EXPECT_EQ((*shards)[0].starting_hash_key, "0");
  EXPECT_EQ((*shards)[3].ending_hash_key, "340282366920938463463374607431768211455");
}

}  // namespace
}  // namespace brewline::stream
