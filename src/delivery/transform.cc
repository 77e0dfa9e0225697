#include "delivery/transform.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "beer/beer.h"
#include "beer/json_scan.h"
#include "common/base64.h"
#include "common/json_escape.h"

namespace brewline::delivery {

// Two paths with one answer. The fast path indexes the event with beer::JsonScan (which accepts only events
// simdjson's DOM parser accepts) and reads recordId and data straight from the event text. Whatever it cannot
// vouch for — a malformed event, escapes in a key, recordId or data, anything JsonScan leaves to the DOM —
// goes to the DOM path, which decides and words every error, exactly as before the fast path existed.
struct FirehoseTransformer::Impl {
  beer::JsonScan event_scan;
  simdjson::dom::parser event_parser;
  beer::BeerParser beer_parser;
  std::unique_ptr<char[]> event_copy;  // an unpadded event, copied so both paths can read past its end
  size_t event_copy_capacity = 0;
  std::unique_ptr<char[]> decoded;  // one record's data, with the padding the beer parser reads past it
  size_t decoded_capacity = 0;
  std::string csv;
  size_t ok = 0, failed = 0;

  static void Grow(std::unique_ptr<char[]>* buffer, size_t* capacity, size_t need) {
    if (*capacity >= need) return;
    *capacity = std::max(need, *capacity * 2);
    *buffer = std::make_unique<char[]>(*capacity);
  }

  // One record of the response: `data` is the record's data string as its value (unescaped).
  void AppendRecord(std::string_view record_id, std::string_view data, std::string* response) {
    response->append("{\"recordId\":");
    AppendJsonString(response, record_id);
    Grow(&decoded, &decoded_capacity, Base64DecodeBound(data.size()) + beer::BeerParser::kPadding);
    size_t size = 0;
    if (Base64DecodeTo(data, decoded.get(), &size)) {
      auto beer = beer_parser.ParsePadded(std::string_view(decoded.get(), size), decoded_capacity);
      if (beer.ok()) {
        csv.clear();
        beer::AppendCsvLine(&csv, *beer);
        response->append(",\"result\":\"Ok\",\"data\":\"");
        Base64EncodeAppend(response, csv);
        response->append("\"}");
        ++ok;
        return;
      }
    }
    ++failed;
    response->append(",\"result\":\"ProcessingFailed\",\"data\":");
    AppendJsonString(response, data);
    response->push_back('}');
  }

  bool TransformFast(const char* json, size_t size, std::string* response);
  Status TransformDom(const char* json, size_t size, std::string* response);
};

FirehoseTransformer::FirehoseTransformer() : impl_(std::make_unique<Impl>()) {}
FirehoseTransformer::~FirehoseTransformer() = default;

namespace {

// The first member named `name` of the object at token `object` (as the DOM's lookup finds it): its value's
// token, 0 when absent. False when a key is escaped (it might unescape to `name`).
bool FindMember(const beer::JsonScan& scan, uint32_t object, std::string_view name, uint32_t* value) {
  *value = 0;
  for (uint32_t key = object + 1; key < scan.close(object); key = scan.after(key + 2) + 1) {
    if (scan.escaped(key)) return false;
    if (scan.body(key) == name) {
      *value = key + 2;
      return true;
    }
  }
  return true;
}

}  // namespace

bool FirehoseTransformer::Impl::TransformFast(const char* json, size_t size, std::string* response) {
  beer::JsonScan& scan = event_scan;
  uint32_t records = 0;
  if (!scan.Index(json, size) || scan.kind(0) != '{' || !FindMember(scan, 0, "records", &records) ||
      records == 0 || scan.kind(records) != '[') {
    return false;
  }
  response->append("{\"records\":[");
  for (uint32_t r = records + 1; r < scan.close(records); r = scan.after(r) + 1) {
    uint32_t id = 0, data = 0;
    if (scan.kind(r) != '{' || !FindMember(scan, r, "recordId", &id) || !FindMember(scan, r, "data", &data) ||
        id == 0 || data == 0 || scan.kind(id) != '"' || scan.kind(data) != '"' || scan.escaped(id) ||
        scan.escaped(data)) {
      return false;
    }
    if (r != records + 1) response->push_back(',');
    AppendRecord(scan.body(id), scan.body(data), response);
  }
  response->append("]}");
  return true;
}

Status FirehoseTransformer::Impl::TransformDom(const char* json, size_t size, std::string* response) {
  simdjson::dom::element root;
  if (auto err = event_parser.parse(json, size, false).get(root)) {
    return InvalidArgument(std::string("transformation event: malformed JSON: ") + simdjson::error_message(err));
  }
  simdjson::dom::array records;
  if (root["records"].get_array().get(records) != simdjson::SUCCESS) {
    return InvalidArgument("transformation event: no 'records' array");
  }
  response->append("{\"records\":[");
  size_t index = 0;
  for (simdjson::dom::element record : records) {
    std::string_view record_id, data;
    if (record["recordId"].get_string().get(record_id) != simdjson::SUCCESS) {
      return InvalidArgument("transformation event: record " + std::to_string(index) + " has no string 'recordId'");
    }
    if (record["data"].get_string().get(data) != simdjson::SUCCESS) {
      return InvalidArgument("transformation event: record " + std::to_string(index) + " has no string 'data'");
    }
    if (index++ != 0) response->push_back(',');
    AppendRecord(record_id, data, response);
  }
  response->append("]}");
  return Status::OK();
}

const size_t FirehoseTransformer::kPadding = simdjson::SIMDJSON_PADDING;

Status FirehoseTransformer::Transform(std::string_view event_json, std::string* response) {
  return Transform(event_json, 0, response);
}

Status FirehoseTransformer::Transform(std::string_view event_json, size_t capacity, std::string* response) {
  const char* json = event_json.data();
  const size_t size = event_json.size();
  if (capacity < size + kPadding) {
    Impl::Grow(&impl_->event_copy, &impl_->event_copy_capacity, size + kPadding);
    if (size != 0) std::memcpy(impl_->event_copy.get(), json, size);
    json = impl_->event_copy.get();
  }
  // A response is about half the event (CSV lines are much shorter than beers, base64 of both).
  response->clear();
  response->reserve(size / 2 + 64);
  impl_->ok = impl_->failed = 0;
  Status status = Status::OK();
  if (!impl_->TransformFast(json, size, response)) {
    response->clear();
    impl_->ok = impl_->failed = 0;
    status = impl_->TransformDom(json, size, response);
  }
  last_ok_ = impl_->ok;
  last_failed_ = impl_->failed;
  return status;
}

Result<std::string> TransformFirehoseEvent(std::string_view event_json) {
  FirehoseTransformer transformer;
  std::string response;
  RETURN_IF_ERROR(transformer.Transform(event_json, &response));
  return response;
}

}  // namespace brewline::delivery
