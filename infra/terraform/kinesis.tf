# The stream "beers": ingest writes one record per beer (partition key = beer id); Firehose raw, Firehose
# cleaned and the scorer read it. Encrypted at rest with KMS.
resource "aws_kinesis_stream" "beers" {
  name             = local.stream_name
  shard_count      = var.shard_count
  retention_period = var.stream_retention_hours
  encryption_type  = "KMS"
  kms_key_id       = var.kinesis_kms_key_id

  stream_mode_details {
    stream_mode = "PROVISIONED"
  }
}
