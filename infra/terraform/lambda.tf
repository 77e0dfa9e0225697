# The C++ Lambdas on the custom runtime: each zip holds an executable `bootstrap` at its root (plus the shared
# libraries and loader it needs), built by `make lambdas` into build/lambda/. Log groups are created here, before
# the functions, so their retention is set (Lambda would otherwise create them with "never expire").

resource "aws_cloudwatch_log_group" "lambda" {
  for_each = local.functions

  name              = "/aws/lambda/${each.value}"
  retention_in_days = var.log_retention_days
}

# ingest: EventBridge Scheduled Event → GET /v2/beers/random → Kinesis PutRecord (partition key = beer id).
resource "aws_lambda_function" "ingest" {
  function_name    = local.functions.ingest
  description      = "brewline ingest: Punk API v2 random beer -> Kinesis ${local.stream_name}"
  role             = aws_iam_role.ingest.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["x86_64"]
  filename         = var.lambda_ingest_zip
  source_code_hash = filebase64sha256(var.lambda_ingest_zip)
  memory_size      = var.lambda_memory_mb
  timeout          = var.lambda_timeout_seconds

  environment {
    variables = {
      BREWLINE_PUNKAPI_URL = var.punkapi_url
      BREWLINE_STREAM_NAME = aws_kinesis_stream.beers.name
    }
  }

  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.ingest]
}

# transform: the Firehose data-transformation handler (the same code the local cleaned delivery calls).
resource "aws_lambda_function" "transform" {
  function_name    = local.functions.transform
  description      = "brewline transform: Firehose records (Punk API beers) -> cleaned CSV lines"
  role             = aws_iam_role.transform.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["x86_64"]
  filename         = var.lambda_transform_zip
  source_code_hash = filebase64sha256(var.lambda_transform_zip)
  memory_size      = var.lambda_memory_mb
  timeout          = var.transform_timeout_seconds

  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.transform]
}

# score: one function, two event shapes. Kinesis batches from the event source mapping are scored and written
# as JSON Lines to the predictions bucket; HTTP requests through the function URL serve POST /v1/predict.
resource "aws_lambda_function" "score" {
  function_name    = local.functions.score
  description      = "brewline scorer: IBU band predictions for the stream, and POST /v1/predict"
  role             = aws_iam_role.score.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["x86_64"]
  filename         = var.lambda_score_zip
  source_code_hash = filebase64sha256(var.lambda_score_zip)
  memory_size      = var.lambda_memory_mb
  timeout          = var.lambda_timeout_seconds

  environment {
    variables = {
      BREWLINE_MODELS_BUCKET      = aws_s3_bucket.this["models"].bucket
      BREWLINE_PREDICTIONS_BUCKET = aws_s3_bucket.this["predictions"].bucket
    }
  }

  depends_on = [aws_cloudwatch_log_group.lambda, aws_iam_role_policy.score]
}

# The scorer is a third consumer of the stream, with its own position kept by Lambda. A poisoned batch is split
# and retried a bounded number of times; partial batch responses avoid re-scoring records that succeeded.
resource "aws_lambda_event_source_mapping" "score" {
  event_source_arn                   = aws_kinesis_stream.beers.arn
  function_name                      = aws_lambda_function.score.arn
  starting_position                  = var.scorer_starting_position
  batch_size                         = var.scorer_batch_size
  maximum_batching_window_in_seconds = 5
  maximum_retry_attempts             = 3
  bisect_batch_on_function_error     = true
  function_response_types            = ["ReportBatchItemFailures"]
}

# POST /v1/predict over HTTPS, signed with SigV4 (no anonymous access).
resource "aws_lambda_function_url" "predict" {
  function_name      = aws_lambda_function.score.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_lambda_permission" "predict_url" {
  for_each = toset(var.predict_invoker_arns)

  statement_id           = "AllowFunctionUrl${substr(sha1(each.value), 0, 12)}"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.score.function_name
  principal              = each.value
  function_url_auth_type = "AWS_IAM"
}
