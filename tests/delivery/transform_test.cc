#include "delivery/transform.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "beer/beer.h"
#include "beers_fixture.h"
#include "common/base64.h"
#include "delivery/firehose_records.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::delivery {
namespace {

using nlohmann::json;

TEST(Transform, EveryRecordIdExactlyOnceWithCsvOrProcessingFailed) {
  std::vector<std::string> beers = testdata::LoadBeers();
  ASSERT_EQ(beers.size(), 325u);
  std::vector<std::string> datas = {beers[0], "not json", R"({"id":5})", R"({"id":"7","name":"x"})", beers[1],
                                    R"({"id":3,"name":"N","abv":"high"})", ""};
  auto response = TransformFirehoseEvent(testdata::MakeEvent(datas));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  json j = json::parse(*response);
  ASSERT_EQ(j["records"].size(), datas.size());
  for (size_t i = 0; i < datas.size(); ++i) {
    const json& r = j["records"][i];
    EXPECT_EQ(r["recordId"], "r" + std::to_string(i));
    bool valid = i == 0 || i == 4;
    EXPECT_EQ(r["result"], valid ? "Ok" : "ProcessingFailed") << i;
    auto data = Base64Decode(r["data"].get<std::string>());
    ASSERT_TRUE(data.ok());
    if (valid) {
      EXPECT_EQ(*data, beer::ToCsvLine(*beer::ParseBeer(datas[i])));
      EXPECT_EQ(data->back(), '\n');
    } else {
      EXPECT_EQ(*data, datas[i]);  // the original bytes, for the error output
    }
  }
}

TEST(Transform, MalformedEventIsAnError) {
  EXPECT_EQ(TransformFirehoseEvent("{").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TransformFirehoseEvent(R"({"invocationId":"x"})").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TransformFirehoseEvent(R"({"records":[{"data":"e30="}]})").status().code(), StatusCode::kInvalidArgument);
  auto empty = TransformFirehoseEvent(R"({"records":[]})");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, R"({"records":[]})");
}

TEST(Transform, BadBase64IsProcessingFailed) {
  auto r = TransformFirehoseEvent(R"({"records":[{"recordId":"a","data":"!!!"}]})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::parse(*r)["records"][0]["result"], "ProcessingFailed");
}

// The decoder works on 32-character blocks with vector instructions where it can: a character outside the
// alphabet (each neighbour of its ranges, '=' before the end) anywhere in a block or in the scalar tail must fail
// the record, with its data returned unchanged, exactly as the strict decoder does.
TEST(Transform, Base64BadCharacterAnywhereIsProcessingFailed) {
  std::vector<std::string> beers = testdata::LoadBeers();
  const std::string good = Base64Encode(beers[0]);
  ASSERT_GT(good.size(), 200u);
  std::vector<size_t> positions;
  for (size_t i = 0; i < 70; ++i) positions.push_back(i);
  for (size_t i = good.size() / 2 - 3; i < good.size() / 2 + 3; ++i) positions.push_back(i);
  for (size_t i = good.size() - 40; i < good.size() - 2; ++i) positions.push_back(i);
  const std::string bad_chars = std::string("=-_ .!~@[`{:*,\x7f\x01", 16) + '"' + '\\';
  json records = json::array();
  std::vector<std::string> datas;
  for (size_t pos : positions) {
    for (char c : bad_chars) {
      std::string d = good;
      d[pos] = c;
      datas.push_back(d);
      records.push_back({{"recordId", std::to_string(datas.size())}, {"data", d}});
    }
  }
  records.push_back({{"recordId", "good"}, {"data", good}});
  auto response = TransformFirehoseEvent(json{{"records", records}}.dump());
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  json j = json::parse(*response);
  ASSERT_EQ(j["records"].size(), datas.size() + 1);
  for (size_t i = 0; i < datas.size(); ++i) {
    ASSERT_EQ(j["records"][i]["result"], "ProcessingFailed") << i;
    ASSERT_EQ(j["records"][i]["data"], datas[i]) << i;
  }
  EXPECT_EQ(j["records"][datas.size()]["result"], "Ok");
  EXPECT_EQ(*Base64Decode(j["records"][datas.size()]["data"].get<std::string>()),
            beer::ToCsvLine(*beer::ParseBeer(beers[0])));
}

TEST(Transform, ReusedTransformerGivesSameAnswers) {
  std::vector<std::string> beers = testdata::LoadBeers();
  FirehoseTransformer t;
  std::string a, b;
  ASSERT_TRUE(t.Transform(testdata::MakeEvent(beers), &a).ok());
  EXPECT_EQ(t.last_ok(), 325u);
  EXPECT_EQ(t.last_failed(), 0u);
  ASSERT_TRUE(t.Transform(testdata::MakeEvent({beers[3]}), &b).ok());
  ASSERT_TRUE(t.Transform(testdata::MakeEvent(beers), &b).ok());
  EXPECT_EQ(a, b);
}

// The fast path reads recordId and data straight from the event text and leaves anything unusual to the DOM
// path; both must answer byte for byte alike. Each event below is answered by the DOM path (escapes, a number
// the fast checker leaves to the DOM, duplicate keys) and compared with the same event the fast path answers.
TEST(Transform, EventsLeftToTheDomPathGiveTheSameBytes) {
  std::vector<std::string> beers = testdata::LoadBeers();
  const std::string d0 = Base64Encode(beers[0]), d1 = Base64Encode(beers[1]);
  const std::string plain = R"({"records":[{"recordId":"a","data":")" + d0 + R"("},{"recordId":"b","data":")" + d1 +
                            R"("}]})";
  auto expected = TransformFirehoseEvent(plain);
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  std::string escaped_data = d0;
  escaped_data.replace(4, 1, "\\u00" + [&] {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(d0[4]));
    return std::string(hex);
  }());
  const std::string variants[] = {
      R"({"records":[{"recordId":"a","data":")" + escaped_data + R"("},{"recordId":"b","data":")" + d1 + R"("}]})",
      R"({"records":[{"recor\u0064Id":"a","data":")" + d0 + R"("},{"recordId":"b","data":")" + d1 + R"("}]})",
      R"({"big":1e100,"n":1234567890123456789,"records":[{"recordId":"a","data":")" + d0 + R"("},{"recordId":"b","data":")" + d1 + R"("}]})",
      R"({"records":[{"recordId":"a","data":")" + d0 + R"(","recordId":"zz"},{"recordId":"b","data":")" + d1 +
          R"("}],"records":[]})",
      " \n" + plain + "\n "};
  for (const std::string& event : variants) {
    auto response = TransformFirehoseEvent(event);
    ASSERT_TRUE(response.ok()) << event.substr(0, 80) << ": " << response.status().ToString();
    EXPECT_EQ(*response, *expected) << event.substr(0, 80);
  }
}

// Records of very different sizes, and data that decodes to invalid JSON or invalid UTF-8, through one reused
// transformer: buffers grow and shrink around the padding the parsers read past each record.
TEST(Transform, RecordSizesAndBadPayloadsThroughOneTransformer) {
  std::vector<std::string> beers = testdata::LoadBeers();
  json huge = json::parse(beers[2]);
  huge["description"] = std::string(200000, 'x');
  std::vector<std::string> datas = {R"({"id":1,"name":"a"})", huge.dump(), "{", "\xff\xfe", beers[3],
                                    std::string(R"({"id":2,"name":"b"})") + std::string(61, ' '), "[]", ""};
  for (size_t cut = 1; cut < 70; ++cut) datas.push_back(beers[4].substr(0, beers[4].size() - cut));
  FirehoseTransformer t;
  std::string first, again;
  const std::string event = testdata::MakeEvent(datas);
  ASSERT_TRUE(t.Transform(event, &first).ok());
  EXPECT_EQ(t.last_ok(), 4u);
  EXPECT_EQ(t.last_failed(), datas.size() - 4);
  ASSERT_TRUE(t.Transform(testdata::MakeEvent({beers[5]}), &again).ok());
  std::string padded = event;
  padded.reserve(event.size() + FirehoseTransformer::kPadding);
  ASSERT_TRUE(t.Transform(padded, padded.capacity(), &again).ok());
  EXPECT_EQ(again, first);
  json j = json::parse(first);
  for (size_t i = 0; i < datas.size(); ++i) {
    const bool ok = i == 0 || i == 1 || i == 4 || i == 5;
    ASSERT_EQ(j["records"][i]["result"], ok ? "Ok" : "ProcessingFailed") << i;
    if (ok) {
      EXPECT_EQ(*Base64Decode(j["records"][i]["data"].get<std::string>()),
                beer::ToCsvLine(*beer::ParseBeer(datas[i])));
    }
  }
}

TEST(TransformResponse, MissingUnknownAndDuplicateIds) {
  std::vector<std::string> ids = {"a", "b", "c", "d"};
  std::string ok = Base64Encode("1,x,,,,,,,\n");
  std::string response = R"({"records":[)"
                         R"({"recordId":"a","result":"Ok","data":")" + ok + R"("},)"
                         R"({"recordId":"zzz","result":"Ok","data":")" + ok + R"("},)"
                         R"({"recordId":"c","result":"Dropped"},)"
                         R"({"recordId":"d","result":"Ok","data":")" + ok + R"("},)"
                         R"({"recordId":"d","result":"Ok","data":")" + ok + R"("}]})";
  auto checked = CheckTransformResponse(response, ids);
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  ASSERT_EQ(checked->records.size(), 4u);
  EXPECT_EQ(checked->records[0].result, RecordResult::kOk);
  EXPECT_EQ(checked->records[0].data, "1,x,,,,,,,\n");
  EXPECT_EQ(checked->records[1].result, RecordResult::kProcessingFailed);
  EXPECT_EQ(checked->records[1].error_code, kErrorMissingRecordId);
  EXPECT_EQ(checked->records[2].result, RecordResult::kDropped);
  EXPECT_EQ(checked->records[3].result, RecordResult::kProcessingFailed);
  EXPECT_EQ(checked->records[3].error_code, kErrorDuplicatedRecordId);
  EXPECT_EQ(checked->unknown_ids, (std::vector<std::string>{"zzz"}));

  auto bad = CheckTransformResponse(R"({"records":[{"recordId":"a","result":"Maybe"},)"
                                    R"({"recordId":"b","result":"Ok","data":"%%"}]})",
                                    {"a", "b"});
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->records[0].error_code, kErrorInvalidOutput);
  EXPECT_EQ(bad->records[1].error_code, kErrorInvalidOutput);
  EXPECT_FALSE(CheckTransformResponse("[]", ids).ok());
  EXPECT_FALSE(CheckTransformResponse("nope", ids).ok());
}

TEST(TransformCli, ReadsEventOnStdinWritesResponse) {
  std::vector<std::string> beers = testdata::LoadBeers();
  auto r = testing::RunCommand({testing::BrewlineBinary(), "transform"}, testdata::MakeEvent({beers[10], "x"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["records"][0]["result"], "Ok");
  EXPECT_EQ(j["records"][1]["result"], "ProcessingFailed");
  auto bad = testing::RunCommand({testing::BrewlineBinary(), "transform"}, "{");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("error: "), std::string::npos);
}

}  // namespace
}  // namespace brewline::delivery
