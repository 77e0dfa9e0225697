#include "table/bucket_listing.h"

#include <algorithm>

#include "table/table_schema.h"

namespace brewline::table {

bool IsDataKey(std::string_view key) {
  if (key.empty() || key.back() == '/') return false;
  return key.substr(0, kErrorPrefix.size()) != kErrorPrefix;
}

Result<std::vector<store::ObjectInfo>> ListDataObjects(store::ObjectStore& store, const std::string& bucket) {
  std::vector<store::ObjectInfo> out;
  store::ListOptions options;
  options.max_keys = 1000;
  for (int pages = 0;; ++pages) {
    if (pages > 10'000'000) return Internal("list " + bucket + ": too many pages (store keeps truncating)");
    auto page = store.List(bucket, options);
    if (!page.ok()) return page.status().WithContext("list bucket " + bucket);
    for (auto& o : page->objects) {
      if (IsDataKey(o.key)) out.push_back(std::move(o));
    }
    if (!page->is_truncated) break;
    if (page->next_continuation_token.empty()) return Internal("list " + bucket + ": truncated page without a token");
    options.continuation_token = page->next_continuation_token;
  }
  // Stores promise key order; sort anyway so that the load order never depends on a store's quirks.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

}  // namespace brewline::table
