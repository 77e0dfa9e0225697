#include "delivery/record_converter.h"

#include "common/log.h"
#include "common/uuid.h"
#include "delivery/firehose_records.h"

namespace brewline::delivery {

RecordConverter::RecordConverter(const DeliveryConfig& config, TransformInvoker* invoker, Clock& clock)
    : config_(config), invoker_(invoker), clock_(clock) {}

std::vector<ConvertedRecord> RecordConverter::Convert(const std::string& shard_id,
                                                      const std::vector<stream::Record>& records, size_t begin,
                                                      size_t end) {
  std::vector<ConvertedRecord> out;
  out.reserve(end - begin);
  if (!config_.transform) {
    for (size_t i = begin; i < end; ++i) {
      ConvertedRecord c;
      c.bytes.reserve(records[i].data.size() + 1);
      c.bytes = records[i].data;
      if (config_.append_newline) c.bytes.push_back('\n');
      out.push_back(std::move(c));
    }
    return out;
  }
  // Invocations of at most transform_batch_records records and about transform_batch_bytes of data.
  size_t chunk_begin = begin;
  while (chunk_begin < end) {
    size_t chunk_end = chunk_begin;
    uint64_t bytes = 0;
    while (chunk_end < end && chunk_end - chunk_begin < static_cast<size_t>(config_.transform_batch_records) &&
           (chunk_end == chunk_begin || bytes + records[chunk_end].data.size() <= config_.transform_batch_bytes)) {
      bytes += records[chunk_end].data.size();
      ++chunk_end;
    }
    ConvertChunk(shard_id, records, chunk_begin, chunk_end, &out);
    chunk_begin = chunk_end;
  }
  return out;
}

void RecordConverter::FailRecord(const stream::Record& record, int attempts, const std::string& code,
                                 const std::string& message, ConvertedRecord* out) {
  out->kind = ConvertedRecord::Kind::kFailed;
  out->bytes.clear();
  ErrorRecord e;
  e.attempts_made = attempts;
  e.arrival_ms = record.approximate_arrival_ms;
  e.error_code = code;
  e.error_message = message;
  e.attempt_ending_ms = clock_.NowMillis();
  e.raw_data = record.data;
  e.lambda_arn = config_.lambda_arn;
  AppendErrorRecordLine(&out->bytes, e);
}

void RecordConverter::ConvertChunk(const std::string& shard_id, const std::vector<stream::Record>& records,
                                   size_t begin, size_t end, std::vector<ConvertedRecord>* out) {
  std::vector<SourceRecord> sources;
  std::vector<std::string> ids;
  sources.reserve(end - begin);
  ids.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    SourceRecord s;
    s.record_id = shard_id + ":" + records[i].sequence_number;
    s.arrival_ms = records[i].approximate_arrival_ms;
    s.data = records[i].data;
    s.shard_id = shard_id;
    s.partition_key = records[i].partition_key;
    s.sequence_number = records[i].sequence_number;
    ids.push_back(s.record_id);
    sources.push_back(std::move(s));
  }
  TransformEventHeader header;
  header.invocation_id = NewUuid();
  header.delivery_stream_arn = "arn:aws:firehose:" + config_.region + ":000000000000:deliverystream/" + config_.name;
  header.source_stream_arn = "arn:aws:kinesis:" + config_.region + ":000000000000:stream/" + config_.stream;
  header.region = config_.region;
  event_.clear();
  AppendTransformEvent(&event_, header, sources);

  const int attempts = config_.transform_retries + 1;
  Status last_error;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    ++invocation_counter_;
    auto response = invoker_->Invoke(event_);
    Result<CheckedResponse> checked = response.ok() ? CheckTransformResponse(*response, ids) : response.status();
    if (checked.ok()) {
      if (!checked->unknown_ids.empty()) {
        log::Warn("delivery_transform_unknown_record_ids",
                  {{"delivery", config_.name}, {"count", static_cast<unsigned long>(checked->unknown_ids.size())}});
      }
      for (size_t k = 0; k < ids.size(); ++k) {
        TransformedRecord& t = checked->records[k];
        ConvertedRecord c;
        if (t.result == RecordResult::kOk) {
          c.bytes = std::move(t.data);
          if (config_.append_newline) c.bytes.push_back('\n');
        } else if (t.result == RecordResult::kDropped) {
          c.kind = ConvertedRecord::Kind::kDropped;
        } else {
          FailRecord(records[begin + k], attempt, t.error_code, t.error_message, &c);
        }
        out->push_back(std::move(c));
      }
      return;
    }
    ++invocation_failures_;
    last_error = checked.status();
    log::Warn("delivery_transform_invocation_failed",
              {{"delivery", config_.name}, {"attempt", attempt}, {"error", last_error.message()}});
  }
  for (size_t i = begin; i < end; ++i) {
    ConvertedRecord c;
    FailRecord(records[i], attempts, kErrorFunctionError, last_error.message(), &c);
    out->push_back(std::move(c));
  }
}

}  // namespace brewline::delivery
