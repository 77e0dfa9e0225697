#include "beer/schema.h"

namespace brewline::beer {

std::string_view ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return "integer";
    case ColumnType::kText:
      return "text";
    case ColumnType::kReal:
      return "real";
  }
  return "unknown";
}

}  // namespace brewline::beer
