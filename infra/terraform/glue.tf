# The Glue Data Catalog twin of the local `cleaned` table (src/table), identical to what
# `brewline table ddl --athena` prints (tests/infra/check_terraform.js compares them):
#
#   cleaned_csv  external table over the cleaned bucket, every column `string`, read with OpenCSVSerde because
#                names are RFC 4180-quoted when they contain a comma or a quote (beer 204) and LazySimpleSerDe
#                cannot read that; OpenCSVSerde fails on empty numeric fields (HIVE_BAD_DATA) and our nulls are
#                empty fields, so the columns stay strings here and nothing is silently turned into NULL.
#   cleaned      the typed view (Athena/Presto view stored in Glue): bigint / string / double per the cleaned
#                schema in src/beer/schema.h, empty → NULL, plus datehour and the object key. Query this one.
#
# Partitions are not crawled: partition projection computes them from Firehose's YYYY/MM/dd/HH/ key layout, so
# new hours are queryable at once, nothing runs on a schedule, and processing-failed/... stays out of the table.

locals {
  # The cleaned schema (src/beer/schema.h, in CSV column order) with its Athena types; checked against the code.
  cleaned_columns = [
    { name = "id", type = "bigint", comment = "Punk API beer id (integer >= 1)" },
    { name = "name", type = "string", comment = "beer name" },
    { name = "abv", type = "double", comment = "alcohol by volume, percent" },
    { name = "ibu", type = "double", comment = "international bitterness units" },
    { name = "target_fg", type = "double", comment = "target final gravity (e.g. 1010)" },
    { name = "target_og", type = "double", comment = "target original gravity (e.g. 1050)" },
    { name = "ebc", type = "double", comment = "colour, European Brewery Convention" },
    { name = "srm", type = "double", comment = "colour, Standard Reference Method" },
    { name = "ph", type = "double", comment = "pH" },
  ]
  cleaned_view_extra_columns = [
    { name = "datehour", type = "string", comment = "UTC hour the records arrived, yyyy/MM/dd/HH" },
    { name = "object_key", type = "string", comment = "S3 object the row was read from" },
  ]
  cleaned_view_columns = concat(local.cleaned_columns, local.cleaned_view_extra_columns)

  # Presto SQL of the view, as `brewline table ddl --athena` writes it: TRY_CAST so one bad value yields NULL
  # in that cell instead of failing the query.
  cleaned_view_sql = join("\n", concat(
    ["SELECT"],
    [for c in local.cleaned_columns : c.type == "string" ? "  \"${c.name}\"," : "  TRY_CAST(NULLIF(\"${c.name}\", '') AS ${c.type}) AS \"${c.name}\","],
    ["  \"datehour\",", "  \"$path\" AS object_key", "FROM \"${local.glue_database}\".\"${local.glue_raw_table}\""],
  ))
  cleaned_presto_view = {
    originalSql = local.cleaned_view_sql
    catalog     = "awsdatacatalog"
    schema      = local.glue_database
    columns     = [for c in local.cleaned_view_columns : { name = c.name, type = c.type == "string" ? "varchar" : c.type }]
  }
}

resource "aws_glue_catalog_database" "brewline" {
  name        = local.glue_database
  description = "brewline: tables over the ${local.buckets.cleaned} bucket"
}

resource "aws_glue_catalog_table" "cleaned_csv" {
  name          = local.glue_raw_table
  database_name = aws_glue_catalog_database.brewline.name
  description   = "Cleaned beers as written by Firehose ${local.firehose_cleaned}: CSV, every column a string (query the view ${local.glue_table})"
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "EXTERNAL"                          = "TRUE"
    "classification"                    = "csv"
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
        "escapeChar"    = "\\"
      }
    }

    dynamic "columns" {
      for_each = local.cleaned_columns
      content {
        name    = columns.value.name
        type    = "string"
        comment = columns.value.comment
      }
    }
  }
}

# An Athena view is a Glue table of type VIRTUAL_VIEW whose original text is the base64 Presto view definition.
resource "aws_glue_catalog_table" "cleaned" {
  name               = local.glue_table
  database_name      = aws_glue_catalog_database.brewline.name
  description        = "Cleaned beers, typed (view over ${local.glue_raw_table})"
  table_type         = "VIRTUAL_VIEW"
  view_original_text = "/* Presto View: ${base64encode(jsonencode(local.cleaned_presto_view))} */"
  view_expanded_text = "/* Presto View */"

  parameters = {
    "presto_view" = "true"
    "comment"     = "Presto View"
  }

  storage_descriptor {
    dynamic "columns" {
      for_each = local.cleaned_view_columns
      content {
        name    = columns.value.name
        type    = columns.value.type
        comment = columns.value.comment
      }
    }
  }

  depends_on = [aws_glue_catalog_table.cleaned_csv]
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
