# Two delivery streams reading the Kinesis stream, as the local delivery engine does:
#   raw     – every record as it came, one JSON document per line (AppendDelimiterToRecord adds the "\n").
#   cleaned – records through the transform Lambda (the same handler as the local delivery) → CSV lines.
# Both write Firehose's YYYY/MM/dd/HH/ layout and send failed records to <error-output-type>/YYYY/MM/dd/HH/.

resource "aws_cloudwatch_log_group" "firehose" {
  for_each = {
    raw     = local.firehose_raw
    cleaned = local.firehose_cleaned
  }

  name              = "/aws/kinesisfirehose/${each.value}"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_stream" "firehose_delivery" {
  for_each = aws_cloudwatch_log_group.firehose

  name           = "DestinationDelivery"
  log_group_name = each.value.name
}

resource "aws_kinesis_firehose_delivery_stream" "raw" {
  name        = local.firehose_raw
  destination = "extended_s3"

  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.beers.arn
    role_arn           = aws_iam_role.firehose_raw.arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose_raw.arn
    bucket_arn          = aws_s3_bucket.this["raw"].arn
    prefix              = local.s3_prefix
    error_output_prefix = local.s3_error_prefix
    buffering_size      = var.buffering_size_mb
    buffering_interval  = var.buffering_interval_seconds
    compression_format  = "UNCOMPRESSED"

    processing_configuration {
      enabled = true

      processors {
        type = "AppendDelimiterToRecord"

        parameters {
          parameter_name  = "Delimiter"
          parameter_value = "\\n"
        }
      }
    }

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose["raw"].name
      log_stream_name = aws_cloudwatch_log_stream.firehose_delivery["raw"].name
    }
  }

  # Firehose checks its role when the stream is created: the policy must be attached first.
  depends_on = [aws_iam_role_policy.firehose_raw]
}

resource "aws_kinesis_firehose_delivery_stream" "cleaned" {
  name        = local.firehose_cleaned
  destination = "extended_s3"

  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.beers.arn
    role_arn           = aws_iam_role.firehose_cleaned.arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose_cleaned.arn
    bucket_arn          = aws_s3_bucket.this["cleaned"].arn
    prefix              = local.s3_prefix
    error_output_prefix = local.s3_error_prefix
    buffering_size      = var.buffering_size_mb
    buffering_interval  = var.buffering_interval_seconds
    compression_format  = "UNCOMPRESSED"

    processing_configuration {
      enabled = true

      # The transform returns each record as one CSV line ending in "\n", so no delimiter processor here.
      processors {
        type = "Lambda"

        parameters {
          parameter_name  = "LambdaArn"
          parameter_value = "${aws_lambda_function.transform.arn}:$LATEST"
        }
        parameters {
          parameter_name  = "NumberOfRetries"
          parameter_value = tostring(var.transform_retries)
        }
        parameters {
          parameter_name  = "BufferSizeInMBs"
          parameter_value = tostring(var.transform_buffer_size_mb)
        }
        parameters {
          parameter_name  = "BufferIntervalInSeconds"
          parameter_value = tostring(var.transform_buffer_interval_seconds)
        }
      }
    }

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose["cleaned"].name
      log_stream_name = aws_cloudwatch_log_stream.firehose_delivery["cleaned"].name
    }
  }

  depends_on = [aws_iam_role_policy.firehose_cleaned]
}
