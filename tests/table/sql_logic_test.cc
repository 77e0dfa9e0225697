// A tiny sqllogictest-style runner for the table's SQL behaviour (files in tests/table/sql/*.test).
// Each file starts from an empty data dir. Directives (blocks end at a blank line):
//   # comment
//   object KEY          the following lines are the object's body (each written with "\n"); .gz keys are gzipped
//   delete KEY          deletes the object from the bucket
//   sync [rows=N] [rejected=N] [removed=N]   runs CleanedTable::Sync and checks the stats given
//   query               SQL lines, then "----", then the expected rows as CSV (no header; NULL is empty)
//   error SUBSTRING     SQL lines; the query must fail with a message containing SUBSTRING
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/clock.h"
#include "store/fs_object_store.h"
#include "table/cleaned_table.h"
#include "table/gzip.h"
#include "table/sql_query.h"
#include "testing/temp_dir.h"

namespace brewline::table {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string l;
  while (std::getline(in, l)) lines.push_back(l);
  return lines;
}

void RunFile(const std::string& path) {
  SCOPED_TRACE(path);
  brewline::testing::TempDir dir;
  FakeClock clock;
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(dir.path()));
  auto table = CleanedTable::Open(PosixFileSystem::Get(), clock, dir.path());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const std::string db = CleanedTable::DbPath(dir.path());
  auto lines = ReadLines(path);
  int checks = 0;
  for (size_t i = 0; i < lines.size();) {
    const std::string& l = lines[i];
    const std::string where = path + ":" + std::to_string(i + 1);
    if (l.empty() || l[0] == '#') {
      ++i;
      continue;
    }
    auto block = [&](size_t from, const std::string& stop) {
      std::vector<std::string> out;
      for (i = from; i < lines.size() && lines[i] != stop; ++i) out.push_back(lines[i]);
      if (i < lines.size()) ++i;  // past the stop line
      return out;
    };
    if (l.rfind("object ", 0) == 0) {
      std::string key = l.substr(7), body;
      for (const auto& b : block(i + 1, "")) body += b + "\n";
      if (IsGzipKey(key)) body = GzipCompress(body).value();
      ASSERT_TRUE(store.Put("cleaned", key, body).ok()) << where;
    } else if (l.rfind("delete ", 0) == 0) {
      ASSERT_TRUE(store.Delete("cleaned", l.substr(7)).ok()) << where;
      ++i;
    } else if (l.rfind("sync", 0) == 0) {
      auto s = (*table)->Sync(store);
      ASSERT_TRUE(s.ok()) << where << ": " << s.status().ToString();
      std::istringstream args(l.substr(4));
      std::string kv;
      while (args >> kv) {
        auto eq = kv.find('=');
        int64_t want = std::stoll(kv.substr(eq + 1));
        std::string name = kv.substr(0, eq);
        int64_t got = name == "rows" ? s->rows_loaded : name == "rejected" ? s->lines_rejected
                    : name == "removed" ? s->objects_removed : -999;
        EXPECT_EQ(got, want) << where << ": " << name;
        ++checks;
      }
      ++i;
    } else if (l == "query") {
      std::string sql;
      for (const auto& q : block(i + 1, "----")) sql += q + "\n";
      std::string want;
      for (const auto& r : block(i, "")) want += r + "\n";
      auto r = RunReadOnlyQuery(db, sql);
      ASSERT_TRUE(r.ok()) << where << ": " << r.status().ToString();
      std::string got = FormatResult(*r, OutputFormat::kCsv);
      got = got.substr(got.find('\n') + 1);  // drop the header
      EXPECT_EQ(got, want) << where << "\n" << sql;
      ++checks;
    } else if (l.rfind("error ", 0) == 0) {
      std::string want = l.substr(6), sql;
      for (const auto& q : block(i + 1, "")) sql += q + "\n";
      auto r = RunReadOnlyQuery(db, sql);
      ASSERT_FALSE(r.ok()) << where << ": expected an error";
      EXPECT_NE(r.status().message().find(want), std::string::npos) << where << ": " << r.status().message();
      ++checks;
    } else {
      FAIL() << where << ": unknown directive '" << l << "'";
    }
  }
  EXPECT_GT(checks, 0) << "a .test file that checks nothing";
}

TEST(SqlLogicTest, AllFiles) {
  const std::string dir = brewline::testing::SourceDir() + "/tests/table/sql";
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".test") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 3u);
  for (const auto& f : files) RunFile(f);
}

}  // namespace
}  // namespace brewline::table
