// The segment log format, with the corruption and offset cases of leveldb's db/log_test.cc: every damaged
// byte is reported with its offset; an incomplete record at the end is a torn tail, not corruption.
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

#include "stream/log_format.h"
#include "stream/log_reader.h"
#include "stream/log_writer.h"
#include "testing/temp_dir.h"

namespace brewline::stream::log {
namespace {

std::string BigString(const std::string& partial, size_t n) {
  std::string result;
  while (result.size() < n) result += partial;
  result.resize(n);
  return result;
}

class LogTest : public ::testing::Test {
 protected:
  struct Reporter final : LogReader::Reporter {
    void Corruption(uint64_t offset, uint64_t bytes, const std::string& reason) override {
      dropped += bytes;
      messages += reason + "@" + std::to_string(offset) + ";";
      if (first_offset < 0) first_offset = static_cast<int64_t>(offset);
    }
    uint64_t dropped = 0;
    int64_t first_offset = -1;
    std::string messages;
  };

  uint64_t Write(const std::string& msg) {
    LogWriter w(contents_.size());
    return w.AddRecord(msg, &contents_);
  }
  size_t WrittenBytes() const { return contents_.size(); }
  void ShrinkSize(size_t bytes) { contents_.resize(contents_.size() - bytes); }
  void SetByte(size_t offset, char c) { contents_[offset] = c; }
  void IncrementByte(size_t offset, int delta) { contents_[offset] = static_cast<char>(contents_[offset] + delta); }
  void FixChecksum(size_t header_offset, size_t len) {
    uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(&contents_[header_offset + 6]), static_cast<uInt>(1 + len)));
    for (int i = 0; i < 4; ++i) contents_[header_offset + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
  }

  // Reads every record from `offset` with a fresh reader over the current contents.
  std::vector<std::string> ReadAll(uint64_t offset = 0) {
    const std::string path = dir_.Join("seg.log");
    {
      auto f = PosixFileSystem::Get().OpenWritable(path, /*truncate=*/true);
      EXPECT_TRUE(f.ok());
      EXPECT_TRUE((*f)->Append(contents_).ok());
    }
    auto file = PosixFileSystem::Get().OpenRandomAccess(path);
    EXPECT_TRUE(file.ok());
    file_ = std::move(file).value();
    report_ = Reporter();
    LogReader reader(file_.get(), &report_, offset, contents_.size());
    std::vector<std::string> out;
    std::string rec;
    uint64_t off = 0;
    offsets_.clear();
    while (reader.ReadRecord(&rec, &off)) {
      out.push_back(rec);
      offsets_.push_back(off);
    }
    EXPECT_TRUE(reader.status().ok());
    tail_ = reader.tail_offset();
    last_end_ = reader.last_record_end();
    return out;
  }

  testing::TempDir dir_;
  std::string contents_;
  std::unique_ptr<RandomAccessFile> file_;
  Reporter report_;
  std::vector<uint64_t> offsets_;
  std::optional<uint64_t> tail_;
  uint64_t last_end_ = 0;
};

using Strings = std::vector<std::string>;

TEST_F(LogTest, Empty) { EXPECT_EQ(ReadAll(), Strings{}); }

TEST_F(LogTest, ReadWrite) {
  Write("foo");
  Write("bar");
  Write("");
  Write("xxxx");
  EXPECT_EQ(ReadAll(), (Strings{"foo", "bar", "", "xxxx"}));
  EXPECT_EQ(report_.dropped, 0u);
  EXPECT_FALSE(tail_.has_value());
  EXPECT_EQ(last_end_, WrittenBytes());
}

TEST_F(LogTest, ManyBlocks) {
  for (int i = 0; i < 20000; ++i) Write(std::to_string(i));
  auto got = ReadAll();
  ASSERT_EQ(got.size(), 20000u);
  for (int i = 0; i < 20000; ++i) ASSERT_EQ(got[i], std::to_string(i));
}

TEST_F(LogTest, Fragmentation) {
  Write("small");
  Write(BigString("medium", 50000));
  Write(BigString("large", 100000));
  EXPECT_EQ(ReadAll(), (Strings{"small", BigString("medium", 50000), BigString("large", 100000)}));
}

TEST_F(LogTest, MarginalTrailer) {
  const size_t n = kBlockSize - 2 * kHeaderSize;
  Write(BigString("foo", n));
  EXPECT_EQ(WrittenBytes(), kBlockSize - kHeaderSize);
  Write("");
  Write("bar");
  EXPECT_EQ(ReadAll(), (Strings{BigString("foo", n), "", "bar"}));
}

TEST_F(LogTest, ShortTrailer) {
  const size_t n = kBlockSize - 2 * kHeaderSize + 4;
  Write(BigString("foo", n));
  EXPECT_EQ(WrittenBytes(), kBlockSize - kHeaderSize + 4);
  const uint64_t bar_offset = (Write(""), Write("bar"));
  EXPECT_EQ(bar_offset, kBlockSize + kHeaderSize);  // the empty record moved past the 3-byte trailer
  EXPECT_EQ(ReadAll(), (Strings{BigString("foo", n), "", "bar"}));
  EXPECT_EQ(report_.dropped, 0u);
}

TEST_F(LogTest, AlignedEof) {
  const size_t n = kBlockSize - 2 * kHeaderSize + 4;
  Write(BigString("foo", n));
  EXPECT_EQ(ReadAll(), (Strings{BigString("foo", n)}));
}

TEST_F(LogTest, RandomRead) {
  std::mt19937 rnd(301);
  Strings written;
  for (int i = 0; i < 500; ++i) {
    std::uniform_int_distribution<int> skew(0, 17);
    std::string s = BigString(std::to_string(i) + ".", static_cast<size_t>(rnd() % (1u << skew(rnd))));
    Write(s);
    written.push_back(s);
  }
  EXPECT_EQ(ReadAll(), written);
}

// Error paths.

TEST_F(LogTest, BadRecordType) {
  Write("foo");
  IncrementByte(6, 100);
  FixChecksum(0, 3);
  EXPECT_EQ(ReadAll(), Strings{});
  EXPECT_EQ(report_.dropped, kHeaderSize + 3);
  EXPECT_NE(report_.messages.find("unknown record type@0"), std::string::npos);
}

TEST_F(LogTest, TruncatedTrailingRecordIsATornTailNotCorruption) {
  Write("foo");
  ShrinkSize(4);
  EXPECT_EQ(ReadAll(), Strings{});
  EXPECT_EQ(report_.dropped, 0u);
  ASSERT_TRUE(tail_.has_value());
  EXPECT_EQ(*tail_, 0u);
}

TEST_F(LogTest, TruncatedTrailingFragmentedRecord) {
  Write("foo");
  Write(BigString("bar", 3 * kBlockSize));
  ShrinkSize(100);
  EXPECT_EQ(ReadAll(), Strings{"foo"});
  EXPECT_EQ(report_.dropped, 0u);
  ASSERT_TRUE(tail_.has_value());
  EXPECT_EQ(*tail_, kHeaderSize + 3);
  EXPECT_EQ(last_end_, kHeaderSize + 3);
}

TEST_F(LogTest, BadLengthInsideAFullBlock) {
  Write(BigString("x", kBlockSize - kHeaderSize));  // exactly one block
  Write("foo");
  SetByte(4, '\xff');  // length 0x7fff now overruns the block
  FixChecksum(0, kBlockSize - kHeaderSize);
  auto got = ReadAll();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], "foo");
  EXPECT_EQ(report_.dropped, kBlockSize);
  EXPECT_NE(report_.messages.find("bad record length@0"), std::string::npos);
}

TEST_F(LogTest, BadLengthAtEndIsTail) {
  Write("foo");
  ShrinkSize(1);
  EXPECT_EQ(ReadAll(), Strings{});
  EXPECT_EQ(report_.dropped, 0u);
  EXPECT_TRUE(tail_.has_value());
}

TEST_F(LogTest, ChecksumMismatch) {
  Write("foo");
  Write("bar");
  IncrementByte(0, 10);
  // The rest of the block cannot be trusted: both records are reported dropped, neither silently.
  EXPECT_EQ(ReadAll(), Strings{});
  EXPECT_EQ(report_.dropped, 2 * (kHeaderSize + 3));
  EXPECT_NE(report_.messages.find("checksum mismatch@0"), std::string::npos);
}

TEST_F(LogTest, ChecksumMismatchInBlockDoesNotLoseNextBlock) {
  Write("foo");
  Write(BigString("x", kBlockSize));  // spills into block 2
  Write("bar");
  IncrementByte(kHeaderSize, 1);  // corrupt "foo"
  auto got = ReadAll();
  EXPECT_EQ(got, Strings{"bar"});
  EXPECT_NE(report_.messages.find("checksum mismatch@0"), std::string::npos);
  EXPECT_NE(report_.messages.find("missing start@" + std::to_string(kBlockSize)), std::string::npos);
}

TEST_F(LogTest, UnexpectedMiddleType) {
  Write("foo");
  SetByte(6, kMiddleType);
  FixChecksum(0, 3);
  EXPECT_EQ(ReadAll(), Strings{});
  EXPECT_EQ(report_.dropped, kHeaderSize + 3);
  EXPECT_NE(report_.messages.find("missing start"), std::string::npos);
}

TEST_F(LogTest, UnexpectedLastType) {
  Write("foo");
  SetByte(6, kLastType);
  FixChecksum(0, 3);
  EXPECT_EQ(ReadAll(), Strings{});
  EXPECT_NE(report_.messages.find("missing start"), std::string::npos);
}

TEST_F(LogTest, UnexpectedFullType) {
  Write("foo");
  Write("bar");
  SetByte(6, kFirstType);
  FixChecksum(0, 3);
  EXPECT_EQ(ReadAll(), Strings{"bar"});
  EXPECT_EQ(report_.dropped, kHeaderSize + 3);
  EXPECT_NE(report_.messages.find("partial record without end@0"), std::string::npos);
}

TEST_F(LogTest, UnexpectedFirstType) {
  Write("foo");
  Write(BigString("bar", 100000));
  SetByte(6, kFirstType);
  FixChecksum(0, 3);
  EXPECT_EQ(ReadAll(), Strings{BigString("bar", 100000)});
  EXPECT_EQ(report_.dropped, kHeaderSize + 3);
  EXPECT_NE(report_.messages.find("partial record without end"), std::string::npos);
}

TEST_F(LogTest, ErrorJoinsRecords) {
  // first(R1) last(R1) first(R2) last(R2) with the middle two fragments wiped must not yield R1+R2.
  Write(BigString("foo", kBlockSize));
  Write(BigString("bar", kBlockSize));
  Write("correct");
  for (size_t offset = kBlockSize; offset < 2 * kBlockSize; ++offset) SetByte(offset, 'x');
  EXPECT_EQ(ReadAll(), Strings{"correct"});
  EXPECT_GE(report_.dropped, 2 * kBlockSize);
  EXPECT_LE(report_.dropped, 2 * kBlockSize + 100);
}

TEST_F(LogTest, ZeroedBlockInTheMiddleIsReported) {
  for (int i = 0; i < 3000; ++i) Write(BigString(std::to_string(i), 40));
  for (size_t offset = kBlockSize; offset < 2 * kBlockSize; ++offset) SetByte(offset, 0);
  auto got = ReadAll();
  EXPECT_LT(got.size(), 3000u);
  EXPECT_GT(got.size(), 2000u);
  EXPECT_NE(report_.messages.find("zeroed block@" + std::to_string(kBlockSize)), std::string::npos);
  // The block, plus the head of the record whose end it held ("partial record without end").
  EXPECT_GE(report_.dropped, kBlockSize);
  EXPECT_LE(report_.dropped, kBlockSize + 100);
  EXPECT_FALSE(tail_.has_value());
}

TEST_F(LogTest, GarbageAtTheEndIsAfterTheLastRecord) {
  Write("foo");
  Write("bar");
  const uint64_t end = WrittenBytes();
  contents_ += std::string("\x13\x37garbage-garbage", 17);
  EXPECT_EQ(ReadAll(), (Strings{"foo", "bar"}));
  EXPECT_EQ(last_end_, end);
  // Whatever the reader says about the garbage, it lies at or after the last record's end.
  EXPECT_TRUE(tail_.has_value() || report_.first_offset >= static_cast<int64_t>(end));
}

TEST_F(LogTest, ZerosAtTheEndAreAfterTheLastRecord) {
  Write("foo");
  const uint64_t end = WrittenBytes();
  contents_ += std::string(4096, '\0');
  EXPECT_EQ(ReadAll(), Strings{"foo"});
  EXPECT_EQ(last_end_, end);
  EXPECT_GE(report_.first_offset, static_cast<int64_t>(end));
}

// Reading from an offset, as the sparse index does.
TEST_F(LogTest, ReadFromRecordOffsets) {
  std::vector<uint64_t> offsets;
  Strings written;
  for (int i = 0; i < 200; ++i) {
    written.push_back(BigString(std::to_string(i), static_cast<size_t>(i * 997 % 70000)));
    offsets.push_back(Write(written.back()));
  }
  for (size_t i : {size_t{0}, size_t{1}, size_t{57}, size_t{150}, size_t{199}}) {
    auto got = ReadAll(offsets[i]);
    ASSERT_EQ(got.size(), written.size() - i) << i;
    EXPECT_EQ(got[0], written[i]);
    EXPECT_EQ(offsets_[0], offsets[i]);
    EXPECT_EQ(report_.dropped, 0u) << report_.messages;
  }
}

TEST_F(LogTest, ReadFromOffsetInsideARecordSkipsToTheNextStart) {
  Write("first");
  Write(BigString("big", 3 * kBlockSize));  // fragments in blocks 0..3
  const uint64_t third = Write("third");
  auto got = ReadAll(kHeaderSize + 5 + 1);  // one byte into the big record
  EXPECT_EQ(got, Strings{"third"});
  EXPECT_EQ(offsets_[0], third);
  EXPECT_EQ(report_.dropped, 0u) << report_.messages;
  auto mid = ReadAll(2 * kBlockSize + 10);  // inside a MIDDLE fragment
  EXPECT_EQ(mid, Strings{"third"});
  EXPECT_EQ(report_.dropped, 0u) << report_.messages;
}

TEST_F(LogTest, ReadFromOffsetInBlockPadding) {
  Write(BigString("foo", kBlockSize - 2 * kHeaderSize + 4));  // leaves a 3-byte trailer
  const uint64_t bar = Write("bar");
  EXPECT_EQ(ReadAll(kBlockSize - 2), Strings{"bar"});
  EXPECT_EQ(offsets_[0], bar);
}

TEST_F(LogTest, ReadPastEnd) {
  Write("foo");
  EXPECT_EQ(ReadAll(WrittenBytes() + 5), Strings{});
  EXPECT_EQ(report_.dropped, 0u);
}

}  // namespace
}  // namespace brewline::stream::log
