#include "pipeline/pipeline_config.h"

#include <gtest/gtest.h>

namespace brewline::pipeline {
namespace {

TEST(PipelineConfigTest, DefaultsAreValidAndRoundTripThroughToml) {
  PipelineConfig c;
  ASSERT_TRUE(ValidatePipelineConfig(c).ok());
  c.every = std::chrono::milliseconds(200);
  c.run_for = std::chrono::seconds(50);
  c.source = "http://example.test/v2";
  c.buffer_interval = std::chrono::seconds(10);
  c.event.region = "eu-west-1";
  std::string toml = PipelineConfigToToml(c);
  PipelineConfig back;
  ASSERT_TRUE(ParsePipelineConfig(toml, "show.toml", &back).ok()) << toml;
  EXPECT_EQ(back.every, c.every);
  EXPECT_EQ(back.run_for, c.run_for);
  EXPECT_EQ(back.source, c.source);
  EXPECT_EQ(back.buffer_interval, c.buffer_interval);
  EXPECT_EQ(back.event.region, "eu-west-1");
  EXPECT_EQ(PipelineConfigToToml(back), toml);
}

TEST(PipelineConfigTest, FileOverridesOnlyTheKeysItHas) {
  PipelineConfig c;
  ASSERT_TRUE(ParsePipelineConfig("schedule = \"cron(0/5 * * * ? *)\"\n[delivery]\nbuffer_size_mb = 7\n", "a.toml", &c).ok());
  EXPECT_EQ(c.schedule, "cron(0/5 * * * ? *)");
  EXPECT_EQ(c.buffer_size_mb, 7);
  EXPECT_EQ(c.admin_listen, kDefaultAdminListen);
  EXPECT_TRUE(ValidatePipelineConfig(c).ok());
}

TEST(PipelineConfigTest, ErrorsNameTheFileAndKey) {
  PipelineConfig c;
  Status st = ParsePipelineConfig("shedule = \"rate(5 minutes)\"\n", "a.toml", &c);
  EXPECT_EQ(st.message(), "a.toml: shedule: unknown key");
  st = ParsePipelineConfig("[delivery]\nbuffer_interval = 5\n", "a.toml", &c);
  EXPECT_NE(st.message().find("a.toml: delivery.buffer_interval: expected a duration"), std::string::npos);
  st = ParsePipelineConfig("every = \"5 parsecs\"\n", "a.toml", &c);
  EXPECT_NE(st.message().find("a.toml: every:"), std::string::npos) << st.message();
  st = ParsePipelineConfig("schedule = \n", "a.toml", &c);
  EXPECT_NE(st.message().find("a.toml:1:"), std::string::npos) << st.message();
  PipelineConfig bad;
  bad.schedule = "rate(1 minutes)";
  EXPECT_NE(ValidatePipelineConfig(bad).message().find("schedule: invalid schedule expression"), std::string::npos);
  bad = PipelineConfig{};
  bad.buffer_interval = std::chrono::milliseconds(1500);
  EXPECT_FALSE(ValidatePipelineConfig(bad).ok());
}

TEST(PipelineConfigTest, BackendAwsSectionAndServeListen) {
  PipelineConfig c;
  EXPECT_EQ(c.backend, "local");
  EXPECT_EQ(c.serve_listen, kDefaultServeListen);
  EXPECT_EQ(c.aws.raw_bucket, "raw");
  EXPECT_EQ(c.aws.cleaned_bucket, "cleaned");
  ASSERT_TRUE(ParsePipelineConfig("backend = \"aws\"\nserve_listen = \"127.0.0.1:0\"\nstream = \"s\"\n"
                                  "[aws]\nregion = \"eu-west-1\"\nprofile = \"p\"\n"
                                  "endpoint_url = \"http://127.0.0.1:5000\"\nraw_bucket = \"r\"\n"
                                  "cleaned_bucket = \"c\"\n",
                                  "aws.toml", &c)
                  .ok());
  EXPECT_EQ(c.backend, "aws");
  EXPECT_EQ(c.serve_listen, "127.0.0.1:0");
  EXPECT_EQ(c.aws.region, "eu-west-1");
  EXPECT_EQ(c.aws.profile, "p");
  EXPECT_EQ(c.aws.endpoint_url, "http://127.0.0.1:5000");
  EXPECT_EQ(c.aws.raw_bucket, "r");
  EXPECT_EQ(c.aws.cleaned_bucket, "c");
  ASSERT_TRUE(ValidatePipelineConfig(c).ok());
  PipelineConfig back;
  ASSERT_TRUE(ParsePipelineConfig(PipelineConfigToToml(c), "show.toml", &back).ok());
  EXPECT_EQ(PipelineConfigToToml(back), PipelineConfigToToml(c));
  EXPECT_EQ(back.aws.endpoint_url, c.aws.endpoint_url);

  EXPECT_EQ(ParsePipelineConfig("[aws]\nbucket = \"x\"\n", "a.toml", &c).message(), "a.toml: aws.bucket: unknown key");
  PipelineConfig bad;
  bad.backend = "gcp";
  EXPECT_NE(ValidatePipelineConfig(bad).message().find("backend"), std::string::npos);
  bad = PipelineConfig{};
  bad.serve_listen = "nope:x";
  EXPECT_NE(ValidatePipelineConfig(bad).message().find("serve_listen"), std::string::npos);
  bad = PipelineConfig{};
  bad.backend = "aws";
  bad.aws.cleaned_bucket = "raw";
  EXPECT_FALSE(ValidatePipelineConfig(bad).ok());
}

TEST(PipelineConfigTest, ListenAddresses) {
  std::string host;
  int port = -1;
  ASSERT_TRUE(ParseListenAddress("0.0.0.0:80", &host, &port).ok());
  EXPECT_EQ(host, "0.0.0.0");
  EXPECT_EQ(port, 80);
  ASSERT_TRUE(ParseListenAddress(":0", &host, &port).ok());
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 0);
  ASSERT_TRUE(ParseListenAddress("9333", &host, &port).ok());
  EXPECT_EQ(port, 9333);
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:99999", &host, &port).ok());
  EXPECT_FALSE(ParseListenAddress("localhost:", &host, &port).ok());
}

TEST(PipelineConfigTest, AwsSectionAndStreamBecomeTheBackendConfig) {
  PipelineConfig c;
  ASSERT_TRUE(ParsePipelineConfig("stream = \"s\"\n[aws]\nregion = \"eu-west-1\"\nprofile = \"p\"\n"
                                  "endpoint_url = \"http://127.0.0.1:1\"\nraw_bucket = \"r\"\ncleaned_bucket = \"c\"\n",
                                  "test.toml", &c)
                  .ok());
  aws::AwsBackendConfig ac = AwsBackendConfigFor(c);
  EXPECT_EQ(ac.stream_name, "s");
  EXPECT_EQ(ac.region, "eu-west-1");
  EXPECT_EQ(ac.profile, "p");
  EXPECT_EQ(ac.endpoint_url, "http://127.0.0.1:1");
  EXPECT_EQ(ac.raw_bucket, "r");
  EXPECT_EQ(ac.cleaned_bucket, "c");
}

}  // namespace
}  // namespace brewline::pipeline
