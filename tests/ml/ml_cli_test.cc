// `brewline model …` end to end through the built binary: exit codes, one-line errors, files in bucket models.
#include <gtest/gtest.h>

#include "common/file_system.h"
#include "punkapi_data.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::ml {
namespace {

using brewline::testing::BrewlineBinary;
using brewline::testing::CommandResult;
using brewline::testing::RunCommand;

class ModelCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    csv_ = dir_.Join("beers.csv");
    ASSERT_TRUE(WriteFileAtomically(PosixFileSystem::Get(), csv_, testdata::CleanedCsv(testdata::PunkapiBeers())).ok());
    data_dir_ = dir_.Join("data");
  }
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), BrewlineBinary());
    return RunCommand(args, "", std::chrono::seconds(90));
  }
  std::vector<std::string> Fast() { return {"--rounds", "20", "--max-depth", "3", "--eta", "0.3"}; }
  std::vector<std::string> With(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }
  brewline::testing::TempDir dir_;
  std::string csv_, data_dir_;
};

TEST_F(ModelCliTest, TrainListPredict) {
  auto r = Run(With({"model", "train", "--data-dir", data_dir_, "--from-csv", csv_, "--folds", "3", "--repeats", "1"},
                    Fast()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("model v1 trained on 318 rows"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("macro-F1"), std::string::npos);
  EXPECT_TRUE(PosixFileSystem::Get().Exists(data_dir_ + "/buckets/models/ibu-classifier/v1/model.json"));
  EXPECT_TRUE(PosixFileSystem::Get().Exists(data_dir_ + "/buckets/models/ibu-classifier/v1/forest.json"));
  EXPECT_NE(r.out.find("ibu-classifier/v1/model.json and ibu-classifier/v1/forest.json"), std::string::npos) << r.out;
  auto meta = PosixFileSystem::Get().ReadFile(data_dir_ + "/buckets/models/ibu-classifier/v1/metadata.json");
  ASSERT_TRUE(meta.ok());
  for (const char* field : {"\"bands\"", "\"features\"", "\"hyperparameters\"", "\"metrics\"", "\"training_rows\": 318",
                            "\"data_fingerprint\"", "\"created_at\"", "\"library_versions\"", "\"macro_f1\""}) {
    EXPECT_NE(meta->find(field), std::string::npos) << field;
  }

  r = Run(With({"model", "train", "--data-dir", data_dir_, "--from-csv", csv_, "--no-evaluate"}, Fast()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Run({"model", "list", "--data-dir", data_dir_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("v1"), std::string::npos);
  EXPECT_NE(r.out.find("v2"), std::string::npos);
  EXPECT_NE(r.out.find("latest"), std::string::npos);
  EXPECT_NE(r.out.find("xgboost+forest(300)"), std::string::npos) << r.out;

  const std::string in = dir_.Join("predict.csv");
  ASSERT_TRUE(WriteFileAtomically(PosixFileSystem::Get(), in,
                                  "id,name,abv,ibu,target_fg,target_og,ebc,srm,ph\n"
                                  "1,\"Pale, light\",3.5,,1008,1035,8,4,4.4\n"
                                  "2,Imperial Stout,12,,1030,1120,300,150,4.4\n").ok());
  r = Run({"model", "predict", "--data-dir", data_dir_, "--csv", in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "id,name,band,band_low,band_high,p_0-20,p_20-40,p_40-60,p_60-80,p_80-100,p_100+");
  EXPECT_NE(r.out.find("\n1,\"Pale, light\","), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n2,Imperial Stout,"), std::string::npos) << r.out;

  r = Run({"model", "predict", "--data-dir", data_dir_, "--csv", in, "--version", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ModelCliTest, ErrorsAreOneLineWithExitCodes) {
  // Usage errors: exit 2.
  EXPECT_EQ(Run({"model", "predict", "--data-dir", data_dir_}).exit_code, 2);
  auto r = Run({"model", "train", "--data-dir", data_dir_, "--from-csv", csv_, "--bands", "40,20"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("strictly increasing"), std::string::npos);

  // No model yet.
  r = Run({"model", "predict", "--data-dir", data_dir_, "--csv", csv_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no model"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);

  // An empty table (header only).
  const std::string empty = dir_.Join("empty.csv");
  ASSERT_TRUE(WriteFileAtomically(PosixFileSystem::Get(), empty, "id,name,abv,ibu,target_fg,target_og,ebc,srm,ph\n").ok());
  r = Run({"model", "train", "--data-dir", data_dir_, "--from-csv", empty});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the table is empty"), std::string::npos) << r.err;

  // A band with fewer rows than folds.
  r = Run({"model", "evaluate", "--data-dir", data_dir_, "--from-csv", csv_, "--bands", "5,40", "--folds", "5"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("fewer than the 5 folds"), std::string::npos) << r.err;

  // Corrupt model file.
  r = Run(With({"model", "train", "--data-dir", data_dir_, "--from-csv", csv_, "--no-evaluate"}, Fast()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(WriteFileAtomically(PosixFileSystem::Get(), data_dir_ + "/buckets/models/ibu-classifier/v1/model.json",
                                  "{\"truncated").ok());
  r = Run({"model", "predict", "--data-dir", data_dir_, "--csv", csv_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("corrupt"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(ModelCliTest, EvaluateWritesFoldsForPython) {
  const std::string folds = dir_.Join("folds.csv"), report = dir_.Join("report.json"), oof = dir_.Join("oof.csv");
  auto r = Run(With({"model", "evaluate", "--from-csv", csv_, "--folds", "3", "--repeats", "2", "--folds-out", folds,
                     "--json-out", report, "--oof-out", oof, "--compare-cleaning"},
                    Fast()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 IBU=OG made unknown, 1 pH out of range made missing, 13 FG>OG swapped"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("without data handling"), std::string::npos);
  auto f = PosixFileSystem::Get().ReadFile(folds);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(std::count(f->begin(), f->end(), '\n'), 1 + 2 * 318);
  auto j = PosixFileSystem::Get().ReadFile(report);
  ASSERT_TRUE(j.ok());
  EXPECT_NE(j->find("\"without_cleaning\""), std::string::npos);
  EXPECT_NE(j->find("\"confusion\""), std::string::npos);
}

}  // namespace
}  // namespace brewline::ml
