#!/usr/bin/env bash
# Runs `terraform fmt -check` and `terraform test` (which validates first; mocked AWS provider) on a copy of
# infra/terraform, fully offline: the AWS provider must be in a local plugin directory (default
# /opt/tf-plugins, or $BREWLINE_TF_PLUGIN_DIR). Exits 77 (CTest: skipped) when terraform or the provider is
# not installed, so machines without them still run the static checks of check_terraform.js.
#   tests/infra/run_terraform_test.sh SOURCE_DIR WORK_DIR
set -euo pipefail

src="${1:?usage: run_terraform_test.sh SOURCE_DIR WORK_DIR}"
work="${2:?usage: run_terraform_test.sh SOURCE_DIR WORK_DIR}"
plugins="${BREWLINE_TF_PLUGIN_DIR:-/opt/tf-plugins}"

if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform not installed: skipping (check_terraform.js still checks the configuration)"
  exit 77
fi
if [ ! -d "$plugins/registry.terraform.io/hashicorp/aws" ]; then
  echo "no local hashicorp/aws provider under $plugins: skipping (set BREWLINE_TF_PLUGIN_DIR)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work/config/tests" "$work/lambda"
cp "$src"/infra/terraform/*.tf "$work/config/"
cp "$src"/tests/infra/tftest/*.tftest.hcl "$work/config/tests/"
# filebase64sha256 needs the packages to exist; their content does not matter to a plan.
for fn in ingest transform score; do printf 'placeholder %s\n' "$fn" > "$work/lambda/$fn.zip"; done

cfg="$work/terraformrc"
printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$plugins" > "$cfg"
export TF_CLI_CONFIG_FILE="$cfg" TF_DATA_DIR="$work/tfdata" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export TF_VAR_lambda_ingest_zip="$work/lambda/ingest.zip" TF_VAR_lambda_transform_zip="$work/lambda/transform.zip"
export TF_VAR_lambda_score_zip="$work/lambda/score.zip"

cd "$work/config"
terraform fmt -check -diff -recursive "$src/infra/terraform"
terraform init -backend=false -input=false -no-color >/dev/null
terraform test -no-color
