# brewline on AWS: EventBridge → ingest Lambda → Kinesis → Firehose raw / cleaned (transform Lambda) → S3 →
# Glue table → Athena, plus the scorer Lambda on the stream. See docs/deploy-aws.md.
# Static checks (run by `make test`): tests/infra/check_terraform.js.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 6.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge({ Project = "brewline", Stack = var.name_prefix }, var.tags)
  }
}

data "aws_caller_identity" "current" {}
