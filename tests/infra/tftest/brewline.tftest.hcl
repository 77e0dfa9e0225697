# `terraform test` with a mocked AWS provider: plans and "applies" infra/terraform without AWS, so the
# configuration is evaluated for real (types, for_each, functions, validations) and key values are asserted.
# Run by tests/infra/run_terraform_test.sh (copies the configuration, supplies dummy Lambda zips).

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::mock-bucket"
    }
  }

  mock_resource "aws_kinesis_stream" {
    defaults = {
      arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/mock"
    }
  }

  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-west-1:123456789012:function:mock"
    }
  }

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/mock"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-west-1:123456789012:log-group:mock"
    }
  }

  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:eu-west-1:123456789012:rule/mock"
    }
  }
}

variables {
  name_prefix = "brewline-test"
  punkapi_url = "https://punkapi.internal.example"
}

run "plan_names_and_settings" {
  command = plan

  assert {
    condition     = toset([for b in aws_s3_bucket.this : b.bucket]) == toset(["brewline-test-raw", "brewline-test-cleaned", "brewline-test-athena-results", "brewline-test-models", "brewline-test-predictions"])
    error_message = "bucket names must be <prefix>-raw, -cleaned, -athena-results, -models, -predictions"
  }

  assert {
    condition     = aws_kinesis_stream.beers.name == "brewline-test-beers" && aws_kinesis_stream.beers.encryption_type == "KMS"
    error_message = "stream name or encryption"
  }

  assert {
    condition     = aws_cloudwatch_event_rule.ingest.schedule_expression == "rate(5 minutes)"
    error_message = "default schedule must be rate(5 minutes)"
  }

  assert {
    condition     = aws_kinesis_firehose_delivery_stream.cleaned.extended_s3_configuration[0].prefix == "!{timestamp:yyyy/MM/dd/HH}/"
    error_message = "cleaned prefix must be Firehose's YYYY/MM/dd/HH layout"
  }

  assert {
    condition     = aws_kinesis_firehose_delivery_stream.cleaned.extended_s3_configuration[0].error_output_prefix == "!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/"
    error_message = "cleaned error prefix"
  }

  assert {
    condition     = [for c in aws_glue_catalog_table.cleaned_csv.storage_descriptor[0].columns : "${c.name} ${c.type}"] == ["id string", "name string", "abv string", "ibu string", "target_fg string", "target_og string", "ebc string", "srm string", "ph string"]
    error_message = "the external table reads every cleaned column as a string"
  }

  assert {
    condition     = [for c in aws_glue_catalog_table.cleaned.storage_descriptor[0].columns : "${c.name} ${c.type}"] == ["id bigint", "name string", "abv double", "ibu double", "target_fg double", "target_og double", "ebc double", "srm double", "ph double", "datehour string", "object_key string"]
    error_message = "the typed view has the cleaned schema's types"
  }

  assert {
    condition     = strcontains(jsondecode(base64decode(trimsuffix(trimprefix(aws_glue_catalog_table.cleaned.view_original_text, "/* Presto View: "), " */"))).originalSql, "TRY_CAST(NULLIF(\"abv\", '') AS double) AS \"abv\"")
    error_message = "the view definition is a base64 Presto view whose SQL casts the measures"
  }

  assert {
    condition     = aws_glue_catalog_table.cleaned_csv.parameters["storage.location.template"] == "s3://brewline-test-cleaned/$${datehour}/"
    error_message = "projection template must point at the cleaned bucket"
  }

  assert {
    condition     = aws_athena_workgroup.brewline.configuration[0].result_configuration[0].output_location == "s3://brewline-test-athena-results/results/"
    error_message = "Athena results go to the athena-results bucket"
  }

  assert {
    condition     = aws_glue_catalog_database.brewline.name == "brewline_test_brewline"
    error_message = "Glue database names use underscores"
  }

  assert {
    condition     = alltrue([for f in [aws_lambda_function.ingest, aws_lambda_function.transform, aws_lambda_function.score] : f.runtime == "provided.al2023" && f.handler == "bootstrap"])
    error_message = "Lambdas run bootstrap on provided.al2023"
  }

  assert {
    condition     = alltrue([for g in aws_cloudwatch_log_group.lambda : g.retention_in_days == 14])
    error_message = "Lambda log groups keep 14 days by default"
  }

  assert {
    condition     = aws_lambda_function_url.predict.authorization_type == "AWS_IAM"
    error_message = "the predict URL must use IAM auth"
  }
}

run "apply_outputs" {
  command = apply

  assert {
    condition     = output.buckets["athena_results"] == "brewline-test-athena-results"
    error_message = "buckets output"
  }

  assert {
    condition     = output.glue_table == "brewline_test_brewline.cleaned"
    error_message = "glue_table output"
  }

}

run "rejects_bad_schedule" {
  command = plan

  variables {
    schedule_expression = "every 5 minutes"
  }

  expect_failures = [var.schedule_expression]
}

run "rejects_bad_prefix" {
  command = plan

  variables {
    name_prefix = "Brewline_Test"
  }

  expect_failures = [var.name_prefix]
}
