# Every knob of the deployment. Defaults are sized for the mission: one beer every 5 minutes.

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-west-1"
}

variable "name_prefix" {
  description = "Prefix of every resource name. Bucket names are <prefix>-raw etc., so it must be globally unique enough for S3 (e.g. brewline-<account id>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: 3-42 characters, lower-case letters, digits and '-', not starting or ending with '-'."
  }
}

variable "tags" {
  description = "Extra tags applied to every resource."
  type        = map(string)
  default     = {}
}

variable "schedule_expression" {
  description = "EventBridge schedule of the ingest Lambda: rate(...) or cron(...)."
  type        = string
  default     = "rate(5 minutes)"

  validation {
    condition     = can(regex("^(rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\))$", var.schedule_expression))
    error_message = "schedule_expression must be rate(<n> <unit>) or cron(<6 fields>)."
  }
}

variable "punkapi_url" {
  description = "Base URL of a Punk API v2 server the ingest Lambda reads /v2/beers/random from (the public Punk API is gone: run `brewline punkapi serve` somewhere the Lambda can reach, or use any v2-compatible URL)."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/]+", var.punkapi_url))
    error_message = "punkapi_url must be an http(s) URL."
  }
}

variable "stream_name" {
  description = "Name of the Kinesis stream (prefixed with name_prefix)."
  type        = string
  default     = "beers"
}

variable "shard_count" {
  description = "Kinesis shards. One shard takes 1 MiB/s or 1,000 records/s of writes; one beer per 5 minutes needs one."
  type        = number
  default     = 1

  validation {
    condition     = var.shard_count >= 1 && var.shard_count <= 500
    error_message = "shard_count must be between 1 and 500."
  }
}

variable "stream_retention_hours" {
  description = "Kinesis retention in hours (24 is included in the shard price; more costs extra)."
  type        = number
  default     = 24

  validation {
    condition     = var.stream_retention_hours >= 24 && var.stream_retention_hours <= 8760
    error_message = "stream_retention_hours must be between 24 and 8760."
  }
}

variable "kinesis_kms_key_id" {
  description = "KMS key for Kinesis server-side encryption. The AWS managed key needs no extra IAM grants and costs nothing per month."
  type        = string
  default     = "alias/aws/kinesis"
}

variable "buffering_size_mb" {
  description = "Firehose S3 buffering hint, MiB (1-128)."
  type        = number
  default     = 5

  validation {
    condition     = var.buffering_size_mb >= 1 && var.buffering_size_mb <= 128
    error_message = "buffering_size_mb must be between 1 and 128."
  }
}

variable "buffering_interval_seconds" {
  description = "Firehose S3 buffering hint, seconds (0-900). Whichever of size and interval comes first flushes."
  type        = number
  default     = 300

  validation {
    condition     = var.buffering_interval_seconds >= 0 && var.buffering_interval_seconds <= 900
    error_message = "buffering_interval_seconds must be between 0 and 900."
  }
}

variable "transform_buffer_size_mb" {
  description = "Firehose buffer before invoking the transform Lambda, MiB (0.2-3)."
  type        = number
  default     = 1
}

variable "transform_buffer_interval_seconds" {
  description = "Firehose buffer interval before invoking the transform Lambda, seconds (60-900)."
  type        = number
  default     = 60
}

variable "transform_retries" {
  description = "NumberOfRetries of the Firehose Lambda processor before records go to the error prefix."
  type        = number
  default     = 3

  validation {
    condition     = var.transform_retries >= 0 && var.transform_retries <= 300
    error_message = "transform_retries must be between 0 and 300."
  }
}

variable "log_retention_days" {
  description = "Retention of every CloudWatch log group this stack creates."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ...)."
  }
}

variable "lambda_ingest_zip" {
  description = "Path of the ingest Lambda package built by `make lambdas` (relative to the working directory)."
  type        = string
  default     = "../../build/lambda/ingest.zip"
}

variable "lambda_transform_zip" {
  description = "Path of the transform Lambda package built by `make lambdas`."
  type        = string
  default     = "../../build/lambda/transform.zip"
}

variable "lambda_score_zip" {
  description = "Path of the scorer Lambda package (Kinesis scorer and /v1/predict), built by `make lambdas`."
  type        = string
  default     = "../../build/lambda/score.zip"
}

variable "lambda_memory_mb" {
  description = "Memory of each Lambda (CPU scales with it)."
  type        = number
  default     = 256
}

variable "lambda_timeout_seconds" {
  description = "Timeout of the ingest and scorer Lambdas."
  type        = number
  default     = 30
}

variable "transform_timeout_seconds" {
  description = "Timeout of the transform Lambda. Firehose allows at most 5 minutes (300 s) for a processor invocation."
  type        = number
  default     = 60

  validation {
    condition     = var.transform_timeout_seconds >= 1 && var.transform_timeout_seconds <= 300
    error_message = "transform_timeout_seconds must be between 1 and 300."
  }
}

variable "scorer_batch_size" {
  description = "Records per scorer invocation from the Kinesis event source mapping."
  type        = number
  default     = 100
}

variable "scorer_starting_position" {
  description = "Where the scorer starts reading the stream the first time: LATEST or TRIM_HORIZON."
  type        = string
  default     = "TRIM_HORIZON"

  validation {
    condition     = contains(["LATEST", "TRIM_HORIZON"], var.scorer_starting_position)
    error_message = "scorer_starting_position must be LATEST or TRIM_HORIZON."
  }
}

variable "predict_invoker_arns" {
  description = "IAM principals (account, role or user ARNs) allowed to call the /v1/predict function URL. Same-account principals may instead be granted lambda:InvokeFunctionUrl in their own policy."
  type        = list(string)
  default     = []
}

variable "athena_bytes_scanned_cutoff" {
  description = "Per-query scan limit of the Athena workgroup, bytes (cost guard; minimum 10 MB)."
  type        = number
  default     = 1073741824
}

variable "athena_results_expiration_days" {
  description = "Athena query results are deleted after this many days."
  type        = number
  default     = 7
}

variable "force_destroy_buckets" {
  description = "Let `terraform destroy` delete buckets that still hold objects. Off by default: data is not thrown away by accident."
  type        = bool
  default     = false
}
