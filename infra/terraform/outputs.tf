output "buckets" {
  description = "Bucket role → bucket name."
  value       = { for role, bucket in aws_s3_bucket.this : role => bucket.bucket }
}

output "stream_name" {
  description = "Kinesis stream the ingest Lambda writes (brewline run --backend aws --stream ...)."
  value       = aws_kinesis_stream.beers.name
}

output "stream_arn" {
  value = aws_kinesis_stream.beers.arn
}

output "firehose_delivery_streams" {
  value = {
    raw     = aws_kinesis_firehose_delivery_stream.raw.name
    cleaned = aws_kinesis_firehose_delivery_stream.cleaned.name
  }
}

output "lambda_functions" {
  value = {
    ingest    = aws_lambda_function.ingest.function_name
    transform = aws_lambda_function.transform.function_name
    score     = aws_lambda_function.score.function_name
  }
}

output "predict_url" {
  description = "Function URL of the scorer (AWS_IAM auth): POST <url>v1/predict, signed with SigV4 for service lambda."
  value       = aws_lambda_function_url.predict.function_url
}

output "schedule_rule" {
  value = aws_cloudwatch_event_rule.ingest.name
}

output "glue_table" {
  description = "database.table to query in Athena."
  value       = "${aws_glue_catalog_database.brewline.name}.${aws_glue_catalog_table.cleaned.name}"
}

output "athena_workgroup" {
  value = aws_athena_workgroup.brewline.name
}

output "example_query" {
  description = "A first Athena query (run it in the workgroup above)."
  value       = "SELECT datehour, count(*) AS beers, avg(ibu) AS mean_ibu FROM \"${aws_glue_catalog_database.brewline.name}\".\"${aws_glue_catalog_table.cleaned.name}\" WHERE datehour >= date_format(current_timestamp - interval '1' day, '%Y/%m/%d/%H') GROUP BY datehour ORDER BY datehour"
}

output "region" {
  description = "Region of the deployment (SigV4 signing of the predict URL needs it)."
  value       = var.region
}
