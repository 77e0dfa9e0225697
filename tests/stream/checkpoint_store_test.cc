#include "stream/checkpoint_store.h"

#include <gtest/gtest.h>

#include "stream/sequence.h"
#include "testing/fault_injection_fs.h"
#include "testing/temp_dir.h"

namespace brewline::stream {
namespace {

TEST(CheckpointStoreTest, ConsumersAreIndependentAndDurable) {
  testing::TempDir dir;
  {
    LocalCheckpointStore store(PosixFileSystem::Get(), dir.path(), "beers");
    auto none = store.Get("raw", "shardId-000000000000");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(store.Set("raw", "shardId-000000000000", FormatSequenceNumber(0, 5)).ok());
    ASSERT_TRUE(store.Set("raw", "shardId-000000000001", FormatSequenceNumber(1, 7)).ok());
    ASSERT_TRUE(store.Set("cleaned", "shardId-000000000000", FormatSequenceNumber(0, 2)).ok());
    ASSERT_TRUE(store.Set("raw", "shardId-000000000000", FormatSequenceNumber(0, 6)).ok());
  }
  LocalCheckpointStore store(PosixFileSystem::Get(), dir.path(), "beers");
  auto raw = store.GetAll("raw");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 2u);
  EXPECT_EQ(raw->at("shardId-000000000000"), FormatSequenceNumber(0, 6));
  EXPECT_EQ(raw->at("shardId-000000000001"), FormatSequenceNumber(1, 7));
  EXPECT_EQ(**store.Get("cleaned", "shardId-000000000000"), FormatSequenceNumber(0, 2));
}

TEST(CheckpointStoreTest, RejectsBadInput) {
  testing::TempDir dir;
  LocalCheckpointStore store(PosixFileSystem::Get(), dir.path(), "beers");
  EXPECT_FALSE(store.Set("../x", "shardId-000000000000", FormatSequenceNumber(0, 1)).ok());
  EXPECT_FALSE(store.Set("c", "shard-0", FormatSequenceNumber(0, 1)).ok());
  EXPECT_FALSE(store.Set("c", "shardId-000000000000", "123").ok());
  EXPECT_FALSE(store.Set("c", "shardId-000000000000", FormatSequenceNumber(1, 1)).ok());
}

TEST(CheckpointStoreTest, FailedSyncKeepsOldValue) {
  testing::TempDir dir;
  testing::FaultInjectionFileSystem fs(PosixFileSystem::Get());
  LocalCheckpointStore store(fs, dir.path(), "beers");
  ASSERT_TRUE(store.Set("raw", "shardId-000000000000", FormatSequenceNumber(0, 1)).ok());
  fs.SetSyncFails(true);
  EXPECT_FALSE(store.Set("raw", "shardId-000000000000", FormatSequenceNumber(0, 2)).ok());
  fs.SetSyncFails(false);
  EXPECT_EQ(**store.Get("raw", "shardId-000000000000"), FormatSequenceNumber(0, 1));
}

}  // namespace
}  // namespace brewline::stream
