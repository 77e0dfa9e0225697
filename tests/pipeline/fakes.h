// In-memory fakes of the pipeline's seams for unit tests: a Stream that records puts (and can fail on
// demand) and a BeerSource serving scripted answers.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "pipeline/beer_source.h"
#include "stream/stream.h"

namespace brewline::pipeline::testing {

class FakeStream final : public stream::Stream {
 public:
  const std::string& name() const override { return name_; }
  Result<stream::PutRecordOutput> PutRecord(const stream::PutRecordInput& input) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!put_errors.empty()) {
      Status st = put_errors.front();
      put_errors.pop_front();
      return st;
    }
    records.push_back(input);
    return stream::PutRecordOutput{"shardId-000000000000", std::to_string(records.size())};
  }
  Result<stream::PutRecordsOutput> PutRecords(const std::vector<stream::PutRecordInput>& input) override {
    std::lock_guard<std::mutex> lock(mu_);
    stream::PutRecordsOutput out;
    for (const auto& r : input) {
      stream::PutRecordsEntryResult e;
      if (fail_every_nth_entry > 0 && ++entry_counter % fail_every_nth_entry == 0) {
        e.error_code = "ProvisionedThroughputExceededException";
        out.failed_record_count++;
      } else {
        records.push_back(r);
        e.shard_id = "shardId-000000000000";
        e.sequence_number = std::to_string(records.size());
      }
      out.records.push_back(e);
    }
    batches.push_back(input.size());
    return out;
  }
  Result<std::vector<stream::ShardInfo>> ListShards() override { return std::vector<stream::ShardInfo>{}; }
  Result<stream::StreamSummary> DescribeSummary() override { return stream::StreamSummary{}; }
  Result<std::string> GetShardIterator(const stream::IteratorRequest&) override { return Internal("unused"); }
  Result<stream::GetRecordsOutput> GetRecords(const std::string&, int) override { return Internal("unused"); }

  std::vector<stream::PutRecordInput> records;
  std::deque<Status> put_errors;
  std::vector<size_t> batches;
  int fail_every_nth_entry = 0;
  int entry_counter = 0;

 private:
  std::mutex mu_;
  std::string name_ = "beers";
};

class FakeSource final : public BeerSource {
 public:
  Result<std::string> FetchRandom() override {
    if (random.empty()) return Unavailable("no more scripted answers");
    Result<std::string> r = random.front();
    random.pop_front();
    return r;
  }
  Result<std::vector<std::string>> FetchPage(int page, int per_page) override {
    std::vector<std::string> out;
    for (int i = (page - 1) * per_page; i < page * per_page && i < static_cast<int>(catalogue.size()); ++i) {
      out.push_back(catalogue[static_cast<size_t>(i)]);
    }
    return out;
  }
  std::string Describe() const override { return "fake"; }

  std::deque<Result<std::string>> random;
  std::vector<std::string> catalogue;
};

inline std::string BeerJson(int id, const std::string& name = "") {
  return "{\"id\": " + std::to_string(id) + ", \"name\": \"" + (name.empty() ? "Beer " + std::to_string(id) : name) +
         "\", \"abv\": 4.5, \"ibu\": 30, \"target_fg\": 1010, \"target_og\": 1050, \"ebc\": 20, \"srm\": 10, "
         "\"ph\": 4.4}";
}

}  // namespace brewline::pipeline::testing
