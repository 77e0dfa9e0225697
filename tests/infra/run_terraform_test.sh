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
for fn in ingest transform score; do printf 'dummy zip for %s\n' "$fn" > "$work/lambda/$fn.zip"; done

cfg="$work/terraformrc"
printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$plugins" > "$cfg"
export TF_CLI_CONFIG_FILE="$cfg" TF_DATA_DIR="$work/tfdata" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export TF_VAR_lambda_ingest_zip="$work/lambda/ingest.zip" TF_VAR_lambda_transform_zip="$work/lambda/transform.zip"
export TF_VAR_lambda_score_zip="$work/lambda/score.zip"

cd "$work/config"
terraform fmt -check -diff -recursive "$src/infra/terraform"
terraform init -backend=false -input=false -no-color >/dev/null
terraform test -no-color

# The Athena view's SQL must be exactly what `brewline table ddl --athena` prints, when that binary is built.
bin="${BREWLINE_BINARY_DIR:-}/brewline"
if [ -x "$bin" ] && ddl="$("$bin" table ddl --athena --database brewline_test_brewline --table cleaned_csv --view cleaned 2>/dev/null)"; then
  want="$(printf '%s\n' "$ddl" | sed -n '/^CREATE OR REPLACE VIEW/,$p' | sed '1d; s/;$//')"
  got="$(echo 'local.cleaned_view_sql' | terraform console -var name_prefix=brewline-test -var punkapi_url=https://x.example | sed '1d;$d')"
  if [ "$want" != "$got" ]; then
    echo "view SQL differs from \`brewline table ddl --athena\`:"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") || true
    exit 1
  fi
  echo "view SQL identical to \`brewline table ddl --athena\`"
else
  echo "note: $bin table ddl --athena not available: view SQL not compared"
fi
