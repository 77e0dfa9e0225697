// Real events for the Lambda tests: Firehose transformation events built from punkapi-db beers, and
// EventBridge Scheduled Events, in AWS's own shapes (shared/docs/aws-contracts.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/base64.h"
#include "testing/temp_dir.h"

namespace brewline::lambda_testing {

inline std::string DatasetPath() {
  return testing::SourceDir() + "/.cache/npm/node_modules/punkapi-db/data.json";
}

// The first `n` beers of the dataset, each as its JSON object text.
std::vector<std::string> DatasetBeers(size_t n);

// A Firehose data-transformation event with one record per payload.
std::string FirehoseEvent(const std::vector<std::string>& payloads);

// An EventBridge Scheduled Event.
std::string ScheduledEvent(const std::string& time_iso = "2026-11-27T07:20:00Z");

}  // namespace brewline::lambda_testing
