#include "common/metrics.h"

#include <gtest/gtest.h>

namespace brewline {
namespace {

TEST(MetricsTest, RendersPrometheusText) {
  MetricsRegistry reg;
  reg.GetCounter("brewline_ingest_total", "Beers ingested", {{"result", "ok"}}).Inc(3);
  reg.GetCounter("brewline_ingest_total", "Beers ingested", {{"result", "error"}}).Inc();
  reg.GetGauge("brewline_lag_records", "Records behind", {{"consumer", "raw"}}).Set(2.5);
  std::string text = reg.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE brewline_ingest_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("brewline_ingest_total{result=\"ok\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("brewline_ingest_total{result=\"error\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("brewline_lag_records{consumer=\"raw\"} 2.5\n"), std::string::npos);
  EXPECT_EQ(&reg.GetCounter("brewline_ingest_total", "", {{"result", "ok"}}),
            &reg.GetCounter("brewline_ingest_total", "", {{"result", "ok"}}));
}

}  // namespace
}  // namespace brewline
