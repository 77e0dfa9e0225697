// The Firehose data-transformation handler of the `cleaned` delivery: the same event JSON in and response JSON
// out that a Firehose Lambda processor gets (shared/docs/aws-contracts.md, "Data transformation"). The local
// delivery calls it in process; the AWS Lambda (lambdas/transform) wraps the very same function.
//
// For every input record, exactly one output record with the same recordId, in input order:
// - the data is a valid Punk API beer (beer::BeerParser) → "Ok", data = base64 of its cleaned CSV line, "\n"
//   included (Firehose concatenates transformed records as they are, so each must end its own line);
// - anything else (bad base64, not JSON, missing id/name, wrong types) → "ProcessingFailed", data = the input
//   data unchanged, so the error output keeps the original bytes.
// The event itself being malformed (not JSON, no `records` array, a record without a string recordId/data) is
// an InvalidArgument: there is no response to give, which a Lambda reports as a function error.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline::delivery {

// The hot-path form: reuses its parsers and buffers between calls. Not thread-safe; one per thread.
class FirehoseTransformer {
 public:
  FirehoseTransformer();
  ~FirehoseTransformer();
  FirehoseTransformer(const FirehoseTransformer&) = delete;
  FirehoseTransformer& operator=(const FirehoseTransformer&) = delete;

  // Replaces *response with the response JSON for `event_json`.
  Status Transform(std::string_view event_json, std::string* response);
  // The same, parsing the event in place without copying it when the caller's buffer has at least kPadding
  // readable bytes after it (capacity >= event_json.size() + kPadding, e.g. a std::string's capacity()).
  Status Transform(std::string_view event_json, size_t capacity, std::string* response);
  static const size_t kPadding;

  // Records of the last call, by outcome.
  size_t last_ok() const { return last_ok_; }
  size_t last_failed() const { return last_failed_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  size_t last_ok_ = 0;
  size_t last_failed_ = 0;
};

// Convenience for cold paths (a Lambda invocation, `brewline transform`).
Result<std::string> TransformFirehoseEvent(std::string_view event_json);

}  // namespace brewline::delivery
