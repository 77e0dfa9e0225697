// The cleaned schema, defined once: the nine columns the `cleaned` bucket, the SQL table, the Glue table and
// the model's features derive from. Order is the CSV column order.
#pragma once

#include <array>
#include <string_view>

namespace brewline::beer {

enum class ColumnType { kInteger, kText, kReal };

struct Column {
  std::string_view name;
  ColumnType type;
  bool nullable;
  std::string_view description;
};

inline constexpr std::array<Column, 9> kCleanedColumns = {{
    {"id", ColumnType::kInteger, false, "Punk API beer id (integer >= 1)"},
    {"name", ColumnType::kText, false, "beer name"},
    {"abv", ColumnType::kReal, true, "alcohol by volume, percent"},
    {"ibu", ColumnType::kReal, true, "international bitterness units"},
    {"target_fg", ColumnType::kReal, true, "target final gravity (e.g. 1010)"},
    {"target_og", ColumnType::kReal, true, "target original gravity (e.g. 1050)"},
    {"ebc", ColumnType::kReal, true, "colour, European Brewery Convention"},
    {"srm", ColumnType::kReal, true, "colour, Standard Reference Method"},
    {"ph", ColumnType::kReal, true, "pH"},
}};

std::string_view ColumnTypeName(ColumnType type);  // "integer", "text", "real"

}  // namespace brewline::beer
