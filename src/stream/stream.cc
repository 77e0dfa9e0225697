#include "stream/stream.h"

namespace brewline::stream {

const char* IteratorTypeName(IteratorType type) {
  switch (type) {
    case IteratorType::kTrimHorizon:
      return "TRIM_HORIZON";
    case IteratorType::kLatest:
      return "LATEST";
    case IteratorType::kAtSequenceNumber:
      return "AT_SEQUENCE_NUMBER";
    case IteratorType::kAfterSequenceNumber:
      return "AFTER_SEQUENCE_NUMBER";
    case IteratorType::kAtTimestamp:
      return "AT_TIMESTAMP";
  }
  return "TRIM_HORIZON";
}

bool ParseIteratorType(const std::string& text, IteratorType* out) {
  for (IteratorType t : {IteratorType::kTrimHorizon, IteratorType::kLatest, IteratorType::kAtSequenceNumber,
                         IteratorType::kAfterSequenceNumber, IteratorType::kAtTimestamp}) {
    if (text == IteratorTypeName(t)) {
      *out = t;
      return true;
    }
  }
  return false;
}

}  // namespace brewline::stream
