// Listing the data objects of a `cleaned` bucket: every page, in key order, without the delivery's error
// output (processing-failed/…) and without folder markers (keys ending in '/').
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/object_store.h"

namespace brewline::table {

bool IsDataKey(std::string_view key);
Result<std::vector<store::ObjectInfo>> ListDataObjects(store::ObjectStore& store, const std::string& bucket);

}  // namespace brewline::table
