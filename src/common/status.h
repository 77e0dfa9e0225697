// Status: an error as a value. OK costs a null pointer; an error carries a code, a one-line message and,
// optionally, a symbolic type name (for example Kinesis's "ResourceNotFoundException") that wire layers
// send as-is. The code says whether a caller may retry (see IsRetryable).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace brewline {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong; never retry
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // create of something that exists
  kFailedPrecondition,  // the system is not in a state to do this (e.g. shard write-fenced after fsync failure)
  kOutOfRange,          // e.g. a page past the end, a sequence number beyond the shard
  kPermissionDenied,
  kResourceExhausted,   // full disk, throttling, limits per second: retry later
  kUnavailable,         // transient: connection refused, 5xx, lock held; retry with backoff
  kDeadlineExceeded,    // a timeout; retry with backoff
  kAborted,             // concurrency conflict; retry the whole operation
  kCorruption,          // data on disk or on the wire is damaged
  kIOError,             // an operating-system I/O failure
  kInternal,            // a bug
  kCancelled,           // stopped on request (SIGTERM, --for elapsed)
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string type = {});
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // The one-line human message ("" when OK).
  const std::string& message() const;
  // A symbolic error name for wire protocols (e.g. "ProvisionedThroughputExceededException"); may be empty.
  const std::string& type() const;
  // "NotFound: stream 'beers' does not exist" — what a CLI prints after "error: ".
  std::string ToString() const;
  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(std::string_view context) const;

  bool IsRetryable() const;
  // Marks the status as already read where dropping it is intentional.
  void IgnoreError() const {}

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string type;
  };
  std::unique_ptr<Rep> rep_;
};

inline Status InvalidArgument(std::string msg, std::string type = {}) {
  return Status(StatusCode::kInvalidArgument, std::move(msg), std::move(type));
}
inline Status NotFound(std::string msg, std::string type = {}) {
  return Status(StatusCode::kNotFound, std::move(msg), std::move(type));
}
inline Status AlreadyExists(std::string msg, std::string type = {}) {
  return Status(StatusCode::kAlreadyExists, std::move(msg), std::move(type));
}
inline Status FailedPrecondition(std::string msg, std::string type = {}) {
  return Status(StatusCode::kFailedPrecondition, std::move(msg), std::move(type));
}
inline Status OutOfRange(std::string msg, std::string type = {}) {
  return Status(StatusCode::kOutOfRange, std::move(msg), std::move(type));
}
inline Status ResourceExhausted(std::string msg, std::string type = {}) {
  return Status(StatusCode::kResourceExhausted, std::move(msg), std::move(type));
}
inline Status Unavailable(std::string msg, std::string type = {}) {
  return Status(StatusCode::kUnavailable, std::move(msg), std::move(type));
}
inline Status DeadlineExceeded(std::string msg, std::string type = {}) {
  return Status(StatusCode::kDeadlineExceeded, std::move(msg), std::move(type));
}
inline Status Corruption(std::string msg, std::string type = {}) {
  return Status(StatusCode::kCorruption, std::move(msg), std::move(type));
}
inline Status IOError(std::string msg, std::string type = {}) {
  return Status(StatusCode::kIOError, std::move(msg), std::move(type));
}
inline Status Internal(std::string msg, std::string type = {}) {
  return Status(StatusCode::kInternal, std::move(msg), std::move(type));
}
inline Status Cancelled(std::string msg, std::string type = {}) {
  return Status(StatusCode::kCancelled, std::move(msg), std::move(type));
}
inline Status Aborted(std::string msg, std::string type = {}) {
  return Status(StatusCode::kAborted, std::move(msg), std::move(type));
}
inline Status PermissionDenied(std::string msg, std::string type = {}) {
  return Status(StatusCode::kPermissionDenied, std::move(msg), std::move(type));
}

// errno → Status, e.g. ENOSPC → ResourceExhausted("write /x: No space left on device").
Status ErrnoStatus(std::string_view what, int err);

}  // namespace brewline

#define BREWLINE_CONCAT_INNER(a, b) a##b
#define BREWLINE_CONCAT(a, b) BREWLINE_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::brewline::Status _brewline_status = (expr);    \
    if (!_brewline_status.ok()) return _brewline_status; \
  } while (0)
