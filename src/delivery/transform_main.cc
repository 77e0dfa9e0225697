// brewline-transform: the Firehose transformation handler as a small executable of its own, for cold runs
// (a process per event, as a cold Lambda pays). Same contract as `brewline transform`: one transformation
// event on stdin, the response JSON and a newline on stdout, exit 0; a malformed event is "error: <message>"
// on stderr and exit 1. It links only the transform (delivery/transform.h), the beer parser and common, so it
// starts without loading the CLI's libraries (curl, OpenSSL, SQLite, XGBoost, …).
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "delivery/transform.h"

namespace {

// All of stdin in one malloc'd block with FirehoseTransformer::kPadding spare bytes after the usable part, so
// the event parses in place (no copy, no zero-filling).
struct Input {
  char* data = nullptr;
  size_t size = 0;
  size_t usable = 0;
  ~Input() { std::free(data); }
  bool Grow(size_t n) {
    char* p = static_cast<char*>(std::realloc(data, n + brewline::delivery::FirehoseTransformer::kPadding));
    if (p == nullptr) return false;
    data = p;
    usable = n;
    return true;
  }
};

bool ReadStdin(Input* in) {
  size_t hint = size_t{1} << 16;
  struct stat st;
  // A regular file (hyperfine --input, `< file`): room for all of it plus the byte that shows EOF.
  if (::fstat(0, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) hint = static_cast<size_t>(st.st_size) + 1;
  if (!in->Grow(hint)) return false;
  for (;;) {
    if (in->size == in->usable && !in->Grow(in->usable * 2)) return false;
    ssize_t n = ::read(0, in->data + in->size, in->usable - in->size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) return true;
    in->size += static_cast<size_t>(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    bool help = std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0;
    std::fputs("usage: brewline-transform < EVENT_JSON\n"
               "the Firehose transformation handler: a transformation event on stdin, the response on stdout\n",
               help ? stdout : stderr);
    return help ? 0 : 2;
  }
  Input event;
  if (!ReadStdin(&event)) {
    std::fprintf(stderr, "error: reading stdin: %s\n", std::strerror(errno));
    return 1;
  }
  brewline::delivery::FirehoseTransformer transformer;
  std::string response;
  brewline::Status status = transformer.Transform(std::string_view(event.data, event.size),
                                                       event.usable + brewline::delivery::FirehoseTransformer::kPadding,
                                                       &response);
  if (!status.ok()) {
    std::fprintf(stderr, "error: %s\n", status.message().c_str());
    return 1;
  }
  response.push_back('\n');
  std::fwrite(response.data(), 1, response.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
