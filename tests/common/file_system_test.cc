#include "common/file_system.h"

#include <gtest/gtest.h>

#include "testing/fault_injection_fs.h"
#include "testing/temp_dir.h"

namespace brewline {
namespace {

TEST(FileSystemTest, AppendSyncReadBack) {
  testing::TempDir dir;
  auto& fs = PosixFileSystem::Get();
  ASSERT_TRUE(fs.CreateDirs(dir.Join("a/b/c")).ok());
  auto file = fs.OpenWritable(dir.Join("a/b/c/f"), true);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append("hello ").ok());
  ASSERT_TRUE((*file)->Append("world").ok());
  ASSERT_TRUE((*file)->Sync().ok());
  EXPECT_EQ((*file)->Size(), 11u);
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_EQ(*fs.ReadFile(dir.Join("a/b/c/f")), "hello world");
  auto ra = fs.OpenRandomAccess(dir.Join("a/b/c/f"));
  std::string out;
  ASSERT_TRUE((*ra)->Read(6, 100, &out).ok());
  EXPECT_EQ(out, "world");
  EXPECT_EQ(fs.ReadFile(dir.Join("missing")).status().code(), StatusCode::kNotFound);
}

TEST(FileSystemTest, AtomicWriteLeavesNoTempFiles) {
  testing::TempDir dir;
  auto& fs = PosixFileSystem::Get();
  ASSERT_TRUE(WriteFileAtomically(fs, dir.Join("cp.json"), "{\"a\":1}").ok());
  ASSERT_TRUE(WriteFileAtomically(fs, dir.Join("cp.json"), "{\"a\":2}").ok());
  EXPECT_EQ(*fs.ReadFile(dir.Join("cp.json")), "{\"a\":2}");
  EXPECT_EQ(fs.ListDir(dir.path())->size(), 1u);
}

TEST(FileSystemTest, LockIsExclusive) {
  testing::TempDir dir;
  auto& fs = PosixFileSystem::Get();
  auto first = fs.Lock(dir.Join("LOCK"), false);
  ASSERT_TRUE(first.ok());
  auto second = fs.Lock(dir.Join("LOCK"), false);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  first->reset();
  EXPECT_TRUE(fs.Lock(dir.Join("LOCK"), false).ok());
}

TEST(FaultInjectionTest, DiskFullAndPowerLoss) {
  testing::TempDir dir;
  testing::FaultInjectionFileSystem fs(PosixFileSystem::Get());
  auto file = fs.OpenWritable(dir.Join("log"), true);
  ASSERT_TRUE((*file)->Append("durable").ok());
  ASSERT_TRUE((*file)->Sync().ok());
  ASSERT_TRUE((*file)->Append("-volatile").ok());
  fs.SetFreeBytes(3);
  Status full = (*file)->Append("toolong");
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(full.IsRetryable());
  fs.SetSyncFails(true);
  EXPECT_FALSE((*file)->Sync().ok());
  ASSERT_TRUE(fs.DropUnsyncedData().ok());
  EXPECT_EQ(*fs.ReadFile(dir.Join("log")), "durable");
  // A failed atomic write leaves the old content.
  fs.SetSyncFails(false);
  ASSERT_TRUE(WriteFileAtomically(fs, dir.Join("meta"), "v1").ok());
  fs.SetFreeBytes(0);
  EXPECT_FALSE(WriteFileAtomically(fs, dir.Join("meta"), "v2").ok());
  EXPECT_EQ(*fs.ReadFile(dir.Join("meta")), "v1");
}

}  // namespace
}  // namespace brewline
