#include "store/fs_object_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "testing/fault_injection_fs.h"
#include "testing/temp_dir.h"

namespace brewline::store {
namespace {

using testing::TempDir;

std::vector<std::string> Keys(const ListPage& page) {
  std::vector<std::string> keys;
  for (const auto& o : page.objects) keys.push_back(o.key);
  return keys;
}

class FsObjectStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string root_ = BucketsDir(dir_.path());
  FsObjectStore store_{PosixFileSystem::Get(), root_};
};

TEST_F(FsObjectStoreTest, PutGetHeadDelete) {
  ASSERT_TRUE(store_.Put("raw", "2024/01/02/03/obj", "hello").ok());
  auto got = store_.Get("raw", "2024/01/02/03/obj");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "hello");
  EXPECT_TRUE(PosixFileSystem::Get().Exists(root_ + "/raw/2024/01/02/03/obj"));
  auto head = store_.Head("raw", "2024/01/02/03/obj");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, 5u);
  EXPECT_EQ(head->etag, "\"5d41402abc4b2a76b9719d911017c592\"");  // md5("hello")
  EXPECT_GT(head->last_modified_ms, 1600000000000);

  ASSERT_TRUE(store_.Put("raw", "2024/01/02/03/obj", "replaced").ok());
  EXPECT_EQ(*store_.Get("raw", "2024/01/02/03/obj"), "replaced");

  ASSERT_TRUE(store_.Delete("raw", "2024/01/02/03/obj").ok());
  auto missing = store_.Get("raw", "2024/01/02/03/obj");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().type(), "NoSuchKey");
  EXPECT_TRUE(store_.Delete("raw", "2024/01/02/03/obj").ok());  // idempotent, as S3
  EXPECT_FALSE(PosixFileSystem::Get().Exists(root_ + "/raw/2024"));  // empty folders pruned
}

TEST_F(FsObjectStoreTest, RefusesEscapingKeys) {
  for (const std::string& key : {std::string("../x"), std::string("/abs"), std::string("a/../../b"),
                                 std::string("a\0b", 3), std::string(1100, 'x')}) {
    Status s = store_.Put("raw", key, "x");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << key;
    EXPECT_EQ(store_.Get("raw", key).status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(store_.Put("../etc", "k", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(PosixFileSystem::Get().Exists(dir_.path() + "/x"));
}

TEST_F(FsObjectStoreTest, ObjectAndFolderOfSameNameIsAClearError) {
  ASSERT_TRUE(store_.Put("raw", "a/b", "1").ok());
  Status s = store_.Put("raw", "a", "2");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("folder"), std::string::npos) << s.message();
  EXPECT_EQ(store_.Get("raw", "a").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_.Put("raw", "c", "3").ok());
  EXPECT_EQ(store_.Put("raw", "c/d", "4").code(), StatusCode::kFailedPrecondition);
}

TEST_F(FsObjectStoreTest, ListIsInS3ByteOrderNotWalkOrder) {
  // '-' (0x2d) < '/' (0x2f) < '0' (0x30): a depth-first walk would put "a/b" before "a-c".
  for (const char* k : {"a/b", "a-c", "a0", "a/a/z", "b", "\xC3\xA9", "A"}) ASSERT_TRUE(store_.Put("raw", k, k).ok());
  auto page = store_.List("raw", {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Keys(*page), (std::vector<std::string>{"A", "a-c", "a/a/z", "a/b", "a0", "b", "\xC3\xA9"}));
  EXPECT_FALSE(page->is_truncated);
  EXPECT_EQ(page->objects[0].etag, QuotedMd5("A"));
}

TEST_F(FsObjectStoreTest, ListPrefixDelimiterAndPaging) {
  std::vector<std::string> keys = {"2024/01/01/00/x1", "2024/01/01/00/x2", "2024/01/01/01/y", "2024/02/z",
                                   "2025/q", "top", "processing-failed/2024/e"};
  for (const auto& k : keys) ASSERT_TRUE(store_.Put("cleaned", k, "d").ok());

  ListOptions opts;
  opts.prefix = "2024/01/";
  auto flat = store_.List("cleaned", opts);
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(Keys(*flat), (std::vector<std::string>{"2024/01/01/00/x1", "2024/01/01/00/x2", "2024/01/01/01/y"}));

  opts.prefix = "2024/0";  // a prefix that ends mid-segment
  EXPECT_EQ(Keys(*store_.List("cleaned", opts)).size(), 4u);

  ListOptions folders;
  folders.delimiter = "/";
  auto top = store_.List("cleaned", folders);
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(Keys(*top), (std::vector<std::string>{"top"}));
  EXPECT_EQ(top->common_prefixes, (std::vector<std::string>{"2024/", "2025/", "processing-failed/"}));

  // Paging by one: every entry (object or common prefix) exactly once, in order.
  ListOptions page_opts;
  page_opts.delimiter = "/";
  page_opts.max_keys = 1;
  std::vector<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    auto page = store_.List("cleaned", page_opts);
    ASSERT_TRUE(page.ok());
    for (const auto& p : page->common_prefixes) seen.push_back(p);
    for (const auto& o : page->objects) seen.push_back(o.key);
    if (!page->is_truncated) break;
    page_opts.continuation_token = page->next_continuation_token;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"2024/", "2025/", "processing-failed/", "top"}));

  ListOptions flat_pages;
  flat_pages.max_keys = 3;
  std::vector<std::string> all;
  for (int i = 0; i < 10; ++i) {
    auto page = store_.List("cleaned", flat_pages);
    ASSERT_TRUE(page.ok());
    EXPECT_LE(page->objects.size(), 3u);
    for (const auto& o : page->objects) all.push_back(o.key);
    if (!page->is_truncated) break;
    flat_pages.continuation_token = page->next_continuation_token;
  }
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(all, sorted);

  ListOptions after;
  after.start_after = "2025/q";
  EXPECT_EQ(Keys(*store_.List("cleaned", after)), (std::vector<std::string>{"processing-failed/2024/e", "top"}));

  ListOptions bad;
  bad.continuation_token = "not base64!";
  EXPECT_EQ(store_.List("cleaned", bad).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(store_.List("missing-bucket", {})->objects.empty());
}

TEST_F(FsObjectStoreTest, TempFilesAreNeverListedAndStaleOnesAreCleaned) {
  auto& fs = PosixFileSystem::Get();
  ASSERT_TRUE(fs.CreateDirs(root_ + "/.tmp").ok());
  // A leftover of a crashed writer: pid 999999999 cannot be alive (pid_max is at most 2^22).
  ASSERT_TRUE(WriteFileAtomically(fs, root_ + "/.tmp/999999999-0-dead", "partial").ok());
  // A live writer's (our parent's pid: alive) must be left alone.
  std::string live = root_ + "/.tmp/" + std::to_string(::getppid()) + "-0-live";
  ASSERT_TRUE(WriteFileAtomically(fs, live, "in flight").ok());
  FsObjectStore reopened(fs, root_);
  EXPECT_EQ(reopened.removed_temp_files(), 1);
  EXPECT_FALSE(fs.Exists(root_ + "/.tmp/999999999-0-dead"));
  EXPECT_TRUE(fs.Exists(live));
  ASSERT_TRUE(reopened.Put("raw", "k", "v").ok());
  auto names = fs.ListDir(root_ + "/.tmp");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->size(), 1u);  // our own temp was renamed away; only the live one remains
}

TEST_F(FsObjectStoreTest, ASecondStoreInTheSameProcessLeavesLiveWritesAlone) {
  // The pipeline's store may be writing while `status` builds another store in the same process: a temp file
  // named with our own pid is then a live write, not a leftover (this once failed puts with ENOENT on rename).
  auto& fs = PosixFileSystem::Get();
  ASSERT_TRUE(fs.CreateDirs(root_ + "/.tmp").ok());
  std::string in_flight = root_ + "/.tmp/" + std::to_string(::getpid()) + "-7-inflight";
  ASSERT_TRUE(WriteFileAtomically(fs, in_flight, "being written").ok());
  FsObjectStore second(fs, root_);
  EXPECT_TRUE(fs.Exists(in_flight));
  EXPECT_EQ(second.removed_temp_files(), 0);
}

TEST_F(FsObjectStoreTest, FailedPutLeavesOldObjectIntact) {
  testing::FaultInjectionFileSystem faulty(PosixFileSystem::Get());
  FsObjectStore store(faulty, root_);
  ASSERT_TRUE(store.Put("raw", "k", "old").ok());
  faulty.SetFreeBytes(3);
  Status s = store.Put("raw", "k", "new content that does not fit");
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  faulty.SetFreeBytes(std::nullopt);
  EXPECT_EQ(*store.Get("raw", "k"), "old");
  faulty.SetSyncFails(true);
  EXPECT_FALSE(store.Put("raw", "k", "newer").ok());
  faulty.SetSyncFails(false);
  EXPECT_EQ(*store.Get("raw", "k"), "old");
  auto names = PosixFileSystem::Get().ListDir(root_ + "/.tmp");
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());  // failed temps are removed at once
}

}  // namespace
}  // namespace brewline::store
