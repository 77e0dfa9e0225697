# The Glue Data Catalog twin of the local `cleaned` table (src/table): same columns, same order, same types as
# the cleaned schema in src/beer/schema.h (integer → bigint, text → string, real → double; checked by
# tests/infra/check_terraform.js). Partitions are not crawled: partition projection computes them from
# Firehose's YYYY/MM/dd/HH/ key layout, so new hours are queryable at once and nothing runs on a schedule.
#
# SerDe: OpenCSVSerde, because names are RFC 4180-quoted when they contain a comma or a quote (beer 204), which
# LazySimpleSerDe cannot read. OpenCSVSerde rejects empty numeric fields (HIVE_BAD_DATA) and our nulls are empty
# fields, so the table sets use.null.for.invalid.data=TRUE: an empty abv/ibu/... reads as NULL. The transform
# only ever writes numbers or empty fields, so no real data is masked by it.

resource "aws_glue_catalog_database" "brewline" {
  name        = local.glue_database
  description = "brewline: tables over the ${local.buckets.cleaned} bucket"
}

resource "aws_glue_catalog_table" "cleaned" {
  name          = local.glue_table
  database_name = aws_glue_catalog_database.brewline.name
  description   = "Cleaned beers: one CSV line per ingested beer, written by Firehose ${local.firehose_cleaned}"
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "EXTERNAL"                          = "TRUE"
    "classification"                    = "csv"
    "use.null.for.invalid.data"         = "TRUE"
    "projection.enabled"                = "true"
    "projection.datehour.type"          = "date"
    "projection.datehour.format"        = "yyyy/MM/dd/HH"
    "projection.datehour.range"         = "2021/01/01/00,NOW"
    "projection.datehour.interval"      = "1"
    "projection.datehour.interval.unit" = "HOURS"
    "storage.location.template"         = "s3://${aws_s3_bucket.this["cleaned"].bucket}/$${datehour}/"
  }

  partition_keys {
    name    = "datehour"
    type    = "string"
    comment = "UTC hour the records arrived, yyyy/MM/dd/HH (the object key prefix)"
  }

  storage_descriptor {
    location      = "s3://${aws_s3_bucket.this["cleaned"].bucket}/"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      name                  = "OpenCSVSerde"
      serialization_library = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
      parameters = {
        "separatorChar" = ","
        "quoteChar"     = "\""
      }
    }

    columns {
      name    = "id"
      type    = "bigint"
      comment = "Punk API beer id (integer >= 1)"
    }
    columns {
      name    = "name"
      type    = "string"
      comment = "beer name"
    }
    columns {
      name    = "abv"
      type    = "double"
      comment = "alcohol by volume, percent"
    }
    columns {
      name    = "ibu"
      type    = "double"
      comment = "international bitterness units"
    }
    columns {
      name    = "target_fg"
      type    = "double"
      comment = "target final gravity (e.g. 1010)"
    }
    columns {
      name    = "target_og"
      type    = "double"
      comment = "target original gravity (e.g. 1050)"
    }
    columns {
      name    = "ebc"
      type    = "double"
      comment = "colour, European Brewery Convention"
    }
    columns {
      name    = "srm"
      type    = "double"
      comment = "colour, Standard Reference Method"
    }
    columns {
      name    = "ph"
      type    = "double"
      comment = "pH"
    }
  }
}

# Queries run in this workgroup; results go to the athena-results bucket (encrypted, expired after a week) and
# each query is capped in bytes scanned so a mistaken query cannot run up a bill.
resource "aws_athena_workgroup" "brewline" {
  name          = local.athena_workgroup
  description   = "brewline queries over ${local.glue_database}.${local.glue_table}"
  force_destroy = true

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.athena_bytes_scanned_cutoff

    engine_version {
      selected_engine_version = "Athena engine version 3"
    }

    result_configuration {
      output_location = "s3://${aws_s3_bucket.this["athena_results"].bucket}/results/"

      encryption_configuration {
        encryption_option = "SSE_S3"
      }
    }
  }
}
