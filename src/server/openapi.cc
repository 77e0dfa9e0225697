#include "server/openapi.h"

namespace brewline::server {

// Kept by hand beside server/api_server.cc and server/predict_request.h; tests/server checks it parses and
// names every route.
std::string_view OpenApiJson() {
  static constexpr std::string_view kDoc = R"json({
  "openapi": "3.0.3",
  "info": {"title": "brewline API", "version": "1.0.0",
           "description": "IBU band predictions from the model inside the brewline pipeline, pipeline status and bucket listings."},
  "paths": {
    "/v1/predict": {"post": {
      "summary": "Predict the IBU band of one beer or a batch",
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"oneOf": [
        {"$ref": "#/components/schemas/Beer"},
        {"type": "array", "items": {"$ref": "#/components/schemas/Beer"}, "minItems": 1, "maxItems": 1000},
        {"type": "object", "required": ["beers"], "properties": {"beers": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"$ref": "#/components/schemas/Beer"}}}}]}}}},
      "responses": {
        "200": {"description": "One prediction, or {model_version, predictions} for a batch", "content": {"application/json": {"schema": {"oneOf": [
          {"$ref": "#/components/schemas/Prediction"},
          {"type": "object", "properties": {"model_version": {"type": "integer"}, "predictions": {"type": "array", "items": {"$ref": "#/components/schemas/Prediction"}}}}]}}}},
        "400": {"$ref": "#/components/responses/Error"},
        "405": {"$ref": "#/components/responses/Error"},
        "413": {"$ref": "#/components/responses/Error"},
        "415": {"$ref": "#/components/responses/Error"},
        "503": {"$ref": "#/components/responses/Error"}}}},
    "/v1/status": {"get": {"summary": "Pipeline status with scorer, model, live quality and latest predictions",
      "responses": {"200": {"description": "Status", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/v1/buckets/{bucket}": {"get": {"summary": "List a bucket's objects",
      "parameters": [
        {"name": "bucket", "in": "path", "required": true, "schema": {"type": "string"}},
        {"name": "prefix", "in": "query", "schema": {"type": "string"}},
        {"name": "start_after", "in": "query", "schema": {"type": "string"}},
        {"name": "continuation_token", "in": "query", "schema": {"type": "string"}},
        {"name": "delimiter", "in": "query", "schema": {"type": "string", "enum": ["/"]}},
        {"name": "max_keys", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
      "responses": {"200": {"description": "One page of the listing", "content": {"application/json": {"schema": {"type": "object", "properties": {
          "bucket": {"type": "string"}, "prefix": {"type": "string"},
          "objects": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}, "size": {"type": "integer"}, "last_modified": {"type": "string"}, "etag": {"type": "string"}}}},
          "common_prefixes": {"type": "array", "items": {"type": "string"}},
          "is_truncated": {"type": "boolean"}, "next_continuation_token": {"type": "string"}}}}}},
        "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3 document"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "Text exposition format", "content": {"text/plain": {}}}}}},
    "/healthz": {"get": {"summary": "Liveness", "responses": {"200": {"description": "ok"}}}}
  },
  "components": {
    "schemas": {
      "Beer": {"type": "object", "description": "A Punk API v2 beer or just the cleaned fields; other keys are ignored. At least one of abv, target_fg, target_og, ebc, srm, ph.",
        "properties": {
          "id": {"type": "integer", "minimum": 1}, "name": {"type": "string"},
          "abv": {"type": "number", "nullable": true}, "ibu": {"type": "number", "nullable": true, "description": "ignored by the model"},
          "target_fg": {"type": "number", "nullable": true}, "target_og": {"type": "number", "nullable": true},
          "ebc": {"type": "number", "nullable": true}, "srm": {"type": "number", "nullable": true}, "ph": {"type": "number", "nullable": true}}},
      "Prediction": {"type": "object", "required": ["band", "range", "low", "high", "probabilities", "model_version"],
        "properties": {
          "id": {"type": "integer"}, "name": {"type": "string"},
          "band": {"type": "integer", "description": "0-based IBU band"}, "range": {"type": "string", "example": "[40,60)"},
          "low": {"type": "number"}, "high": {"type": "number", "nullable": true, "description": "null for the open last band"},
          "probabilities": {"type": "object", "additionalProperties": {"type": "number"}, "description": "per band label"},
          "model_version": {"type": "integer"}}},
      "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
          "status": {"type": "integer"}, "field": {"type": "string", "nullable": true, "example": "beers[3].abv"}, "message": {"type": "string"}}}}}
    },
    "responses": {"Error": {"description": "An error naming the offending field when there is one", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
  }
}
)json";
  return kDoc;
}

}  // namespace brewline::server
