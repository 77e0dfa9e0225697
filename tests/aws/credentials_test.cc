#include <gtest/gtest.h>

#include "aws/aws_backend.h"
#include "aws/credentials.h"
#include "common/file_system.h"
#include "testing/temp_dir.h"

namespace brewline::aws {
namespace {

class CredentialsTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text) {
    ASSERT_TRUE(WriteFileAtomically(PosixFileSystem::Get(), dir_.Join(name), text).ok());
  }
  std::map<std::string, std::string> Files() {
    return {{"AWS_SHARED_CREDENTIALS_FILE", dir_.Join("credentials")}, {"AWS_CONFIG_FILE", dir_.Join("config")},
            {"HOME", dir_.Join("nohome")}};
  }
  testing::TempDir dir_;
  FileSystem& fs_ = PosixFileSystem::Get();
};

TEST_F(CredentialsTest, EnvironmentWinsOverFiles) {
  Write("credentials", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n");
  auto env = Files();
  env["AWS_ACCESS_KEY_ID"] = "AKIAENVKEY1234";
  env["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  env["AWS_SESSION_TOKEN"] = "envtoken";
  auto c = ResolveCredentials(MapEnv(env), fs_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->access_key_id, "AKIAENVKEY1234");
  EXPECT_EQ(c->secret_access_key, "envsecret");
  EXPECT_EQ(c->session_token, "envtoken");
  EXPECT_EQ(c->source, "environment");
}

TEST_F(CredentialsTest, SharedCredentialsFileWithProfile) {
  Write("credentials",
        "# comment\n[default]\naws_access_key_id=DEFKEY\naws_secret_access_key=defsecret\n\n"
        "[prod]\n  aws_access_key_id = PRODKEY \naws_secret_access_key = prod/secret+x\naws_session_token = tok\n");
  auto env = Files();
  auto d = ResolveCredentials(MapEnv(env), fs_);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->access_key_id, "DEFKEY");
  env["AWS_PROFILE"] = "prod";
  auto p = ResolveCredentials(MapEnv(env), fs_);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->access_key_id, "PRODKEY");
  EXPECT_EQ(p->secret_access_key, "prod/secret+x");
  EXPECT_EQ(p->session_token, "tok");
  EXPECT_EQ(p->source, "shared-credentials-file:prod");
  // An explicit profile beats AWS_PROFILE.
  auto e = ResolveCredentials(MapEnv(env), fs_, "default");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->access_key_id, "DEFKEY");
}

TEST_F(CredentialsTest, ConfigFileProfilesAndRegion) {
  Write("config", "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-west-2\n"
                  "aws_access_key_id = DEVKEY\naws_secret_access_key = devsecret\n");
  auto env = Files();
  auto r = ResolveRegion(MapEnv(env), fs_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "eu-west-1");
  env["AWS_PROFILE"] = "dev";
  EXPECT_EQ(*ResolveRegion(MapEnv(env), fs_), "us-west-2");
  auto c = ResolveCredentials(MapEnv(env), fs_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "DEVKEY");
  env["AWS_DEFAULT_REGION"] = "ap-south-1";
  EXPECT_EQ(*ResolveRegion(MapEnv(env), fs_), "ap-south-1");
  env["AWS_REGION"] = "ca-central-1";
  EXPECT_EQ(*ResolveRegion(MapEnv(env), fs_), "ca-central-1");
}

TEST_F(CredentialsTest, MissingEverythingIsNotFoundNamingWhereItLooked) {
  auto c = ResolveCredentials(MapEnv(Files()), fs_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find("credentials"), std::string::npos);
  auto r = ResolveRegion(MapEnv(Files()), fs_);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST_F(CredentialsTest, KeyWithoutSecretIsInvalid) {
  Write("credentials", "[default]\naws_access_key_id = ONLYKEY\n");
  auto c = ResolveCredentials(MapEnv(Files()), fs_);
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CredentialsTest, ToStringNeverShowsSecrets) {
  Credentials c{"AKIAABCDEFGHWXYZ", "supersecretvalue", "sessiontokenvalue", "environment"};
  std::string s = c.ToString();
  EXPECT_EQ(s.find("supersecretvalue"), std::string::npos);
  EXPECT_EQ(s.find("sessiontokenvalue"), std::string::npos);
  EXPECT_EQ(s.find("AKIAABCDEFGH"), std::string::npos);
  EXPECT_NE(s.find("WXYZ"), std::string::npos);
}

TEST_F(CredentialsTest, EndpointPrecedenceMatchesTheCli) {
  Write("config", "[default]\nendpoint_url = http://profile:1\nservices = local\n"
                  "[services local]\nkinesis =\n  endpoint_url = http://svc-kinesis:2\n");
  auto env = Files();
  EXPECT_EQ(ResolveEndpointUrl(MapEnv(env), fs_, "kinesis").value_or(""), "http://svc-kinesis:2");
  EXPECT_EQ(ResolveEndpointUrl(MapEnv(env), fs_, "s3").value_or(""), "http://profile:1");
  env["AWS_ENDPOINT_URL"] = "http://global:3";
  EXPECT_EQ(ResolveEndpointUrl(MapEnv(env), fs_, "kinesis").value_or(""), "http://global:3");
  env["AWS_ENDPOINT_URL_KINESIS"] = "http://kin:4";
  EXPECT_EQ(ResolveEndpointUrl(MapEnv(env), fs_, "kinesis").value_or(""), "http://kin:4");
  EXPECT_EQ(ResolveEndpointUrl(MapEnv(env), fs_, "s3").value_or(""), "http://global:3");
  EXPECT_EQ(ResolveEndpointUrl(MapEnv(env), fs_, "kinesis", "http://flag:5").value_or(""), "http://flag:5");
  EXPECT_FALSE(ResolveEndpointUrl(MapEnv({{"HOME", dir_.Join("x")}}), fs_, "s3").has_value());
  env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  EXPECT_FALSE(ResolveEndpointUrl(MapEnv(env), fs_, "kinesis").has_value());
  EXPECT_EQ(ResolveEndpointUrl(MapEnv(env), fs_, "kinesis", "http://flag:5").value_or(""), "http://flag:5");
}

TEST_F(CredentialsTest, FactoryUsesDefaultsAndPathStyleForCustomEndpoints) {
  auto env = Files();
  env["AWS_ACCESS_KEY_ID"] = "AKIATEST";
  env["AWS_SECRET_ACCESS_KEY"] = "secret";
  env["AWS_REGION"] = "eu-central-1";
  SystemClock& clock = SystemClock::Get();
  auto aws = MakeAwsBackends({}, MapEnv(env), fs_, clock);
  ASSERT_TRUE(aws.ok()) << aws.status().ToString();
  EXPECT_EQ(aws->info.kinesis_endpoint, "https://kinesis.eu-central-1.amazonaws.com");
  EXPECT_EQ(aws->info.s3_endpoint, "https://s3.eu-central-1.amazonaws.com");
  EXPECT_FALSE(aws->info.s3_path_style);
  EXPECT_EQ(aws->stream->name(), "beers");
  EXPECT_EQ(aws->info.credentials.find("secret"), aws->info.credentials.find("secret=<redacted>"));

  env["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:4568";
  AwsBackendConfig cfg;
  cfg.endpoint_url = "http://127.0.0.1:5000";
  cfg.stream_name = "other";
  auto custom = MakeAwsBackends(cfg, MapEnv(env), fs_, clock);
  ASSERT_TRUE(custom.ok());
  // --endpoint-url beats the per-service environment variable, as in the AWS CLI.
  EXPECT_EQ(custom->info.s3_endpoint, "http://127.0.0.1:5000");
  EXPECT_TRUE(custom->info.s3_path_style);
  EXPECT_EQ(custom->stream->name(), "other");

  env.erase("AWS_ACCESS_KEY_ID");
  EXPECT_EQ(MakeAwsBackends({}, MapEnv(env), fs_, clock).status().code(), StatusCode::kNotFound);
}

TEST(IniTest, ParsesSectionsCommentsAndNestedKeys) {
  IniFile ini = ParseIni("; c\n[a]\nK = v \n[services x]\ns3 =\n  endpoint_url = http://e\n  addressing_style = path\n");
  EXPECT_EQ(ini["a"]["k"], "v");
  EXPECT_EQ(ini["services x"]["s3.endpoint_url"], "http://e");
  EXPECT_EQ(ini["services x"]["s3.addressing_style"], "path");
}

}  // namespace
}  // namespace brewline::aws
