# The schedule: EventBridge delivers a Scheduled Event to the ingest Lambda (default every 5 minutes).
resource "aws_cloudwatch_event_rule" "ingest" {
  name                = "${var.name_prefix}-ingest-schedule"
  description         = "brewline: ingest one random beer"
  schedule_expression = var.schedule_expression
}

resource "aws_cloudwatch_event_target" "ingest" {
  rule      = aws_cloudwatch_event_rule.ingest.name
  target_id = "ingest"
  arn       = aws_lambda_function.ingest.arn

  retry_policy {
    maximum_event_age_in_seconds = 300
    maximum_retry_attempts       = 2
  }
}

resource "aws_lambda_permission" "ingest_from_eventbridge" {
  statement_id   = "AllowEventBridgeSchedule"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.ingest.function_name
  principal      = "events.amazonaws.com"
  source_arn     = aws_cloudwatch_event_rule.ingest.arn
  source_account = local.account_id
}
