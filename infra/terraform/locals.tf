locals {
  account_id = data.aws_caller_identity.current.account_id

  # Bucket role → bucket name. Roles match the local bucket names (buckets/<role>/ in the data dir).
  buckets = {
    raw            = "${var.name_prefix}-raw"
    cleaned        = "${var.name_prefix}-cleaned"
    athena_results = "${var.name_prefix}-athena-results"
    models         = "${var.name_prefix}-models"
    predictions    = "${var.name_prefix}-predictions"
  }

  stream_name = "${var.name_prefix}-${var.stream_name}"

  # Function names; their log groups are /aws/lambda/<name> and are created here so retention is set.
  functions = {
    ingest    = "${var.name_prefix}-ingest"
    transform = "${var.name_prefix}-transform"
    score     = "${var.name_prefix}-score"
  }

  firehose_raw     = "${var.name_prefix}-raw"
  firehose_cleaned = "${var.name_prefix}-cleaned"

  # Firehose's own key layout (YYYY/MM/dd/HH/, UTC) written explicitly: the Glue partition projection and the
  # local delivery engine use the same layout. Errors land under <error-output-type>/YYYY/MM/dd/HH/, i.e.
  # processing-failed/... for records the transform Lambda failed, as the local engine writes them.
  s3_prefix        = "!{timestamp:yyyy/MM/dd/HH}/"
  s3_error_prefix  = "!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/"
  glue_database    = replace("${var.name_prefix}_brewline", "-", "_")
  glue_table       = "cleaned"
  glue_raw_table   = "cleaned_csv"
  athena_workgroup = "${var.name_prefix}-brewline"
}
