# One role per function or service, each allowed exactly what it does, on exactly the resources it touches.
# No Allow statement uses a "*" action or a "*" resource (tests/infra/check_terraform.js enforces it; an action
# AWS only authorizes on "*" would have to be listed there with a reason).

# ---------------------------------------------------------------- trust policies

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# Firehose passes the account id as the external id; checking it prevents the confused-deputy problem.
data "aws_iam_policy_document" "firehose_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [local.account_id]
    }
  }
}

# ---------------------------------------------------------------- ingest Lambda

resource "aws_iam_role" "ingest" {
  name               = "${var.name_prefix}-ingest"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "ingest" {
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda["ingest"].arn}:*"]
  }

  statement {
    sid       = "PutBeers"
    actions   = ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary"]
    resources = [aws_kinesis_stream.beers.arn]
  }
}

resource "aws_iam_role_policy" "ingest" {
  name   = "ingest"
  role   = aws_iam_role.ingest.id
  policy = data.aws_iam_policy_document.ingest.json
}

# ---------------------------------------------------------------- transform Lambda (pure function: logs only)

resource "aws_iam_role" "transform" {
  name               = "${var.name_prefix}-transform"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "transform" {
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda["transform"].arn}:*"]
  }
}

resource "aws_iam_role_policy" "transform" {
  name   = "transform"
  role   = aws_iam_role.transform.id
  policy = data.aws_iam_policy_document.transform.json
}

# ---------------------------------------------------------------- scorer Lambda

resource "aws_iam_role" "score" {
  name               = "${var.name_prefix}-score"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "score" {
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.lambda["score"].arn}:*"]
  }

  # What the Kinesis event source mapping needs (shared-throughput consumer, no enhanced fan-out).
  statement {
    sid = "ReadBeers"
    actions = [
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:ListShards",
    ]
    resources = [aws_kinesis_stream.beers.arn]
  }

  statement {
    sid       = "ListModels"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this["models"].arn]
  }

  statement {
    sid       = "ReadModels"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.this["models"].arn}/*"]
  }

  statement {
    sid       = "WritePredictions"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.this["predictions"].arn}/*"]
  }
}

resource "aws_iam_role_policy" "score" {
  name   = "score"
  role   = aws_iam_role.score.id
  policy = data.aws_iam_policy_document.score.json
}

# ---------------------------------------------------------------- Firehose raw

resource "aws_iam_role" "firehose_raw" {
  name               = "${var.name_prefix}-firehose-raw"
  assume_role_policy = data.aws_iam_policy_document.firehose_assume.json
}

data "aws_iam_policy_document" "firehose_raw" {
  statement {
    sid       = "ReadBeers"
    actions   = ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"]
    resources = [aws_kinesis_stream.beers.arn]
  }

  statement {
    sid = "WriteRawBucket"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:GetBucketLocation",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:ListBucketMultipartUploads",
      "s3:PutObject",
    ]
    resources = [aws_s3_bucket.this["raw"].arn, "${aws_s3_bucket.this["raw"].arn}/*"]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.firehose["raw"].arn}:*"]
  }
}

resource "aws_iam_role_policy" "firehose_raw" {
  name   = "firehose-raw"
  role   = aws_iam_role.firehose_raw.id
  policy = data.aws_iam_policy_document.firehose_raw.json
}

# ---------------------------------------------------------------- Firehose cleaned

resource "aws_iam_role" "firehose_cleaned" {
  name               = "${var.name_prefix}-firehose-cleaned"
  assume_role_policy = data.aws_iam_policy_document.firehose_assume.json
}

data "aws_iam_policy_document" "firehose_cleaned" {
  statement {
    sid       = "ReadBeers"
    actions   = ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"]
    resources = [aws_kinesis_stream.beers.arn]
  }

  statement {
    sid = "WriteCleanedBucket"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:GetBucketLocation",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:ListBucketMultipartUploads",
      "s3:PutObject",
    ]
    resources = [aws_s3_bucket.this["cleaned"].arn, "${aws_s3_bucket.this["cleaned"].arn}/*"]
  }

  # The processor ARN is the function with the $LATEST qualifier, so both forms are listed.
  statement {
    sid       = "InvokeTransform"
    actions   = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]
    resources = [aws_lambda_function.transform.arn, "${aws_lambda_function.transform.arn}:*"]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.firehose["cleaned"].arn}:*"]
  }
}

resource "aws_iam_role_policy" "firehose_cleaned" {
  name   = "firehose-cleaned"
  role   = aws_iam_role.firehose_cleaned.id
  policy = data.aws_iam_policy_document.firehose_cleaned.json
}
