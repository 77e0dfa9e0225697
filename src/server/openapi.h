// The OpenAPI 3.0 document of the HTTP API (served at /v1/openapi.json). A constant; thread-safe.
#pragma once

#include <string_view>

namespace brewline::server {

std::string_view OpenApiJson();

}  // namespace brewline::server
