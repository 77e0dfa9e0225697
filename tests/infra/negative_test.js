// Proves the Terraform checker detects what it claims to: the real infra/terraform passes, and each deliberate
// breakage (a fixture file added, or one precise edit of a copy) fails with the expected message.
// Run: node tests/infra/negative_test.js   (node's built-in test runner; registered with CTest)
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { checkTerraform } = require('./check_terraform');

const SOURCE = path.resolve(__dirname, '../..');
const TF = path.join(SOURCE, 'infra/terraform');
const FIXTURES = path.join(__dirname, 'fixtures');

// A fresh copy of infra/terraform with optional fixture files added and exact edits applied.
function variant({ add = [], edits = [] } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brewline-tf-'));
  for (const f of fs.readdirSync(TF).filter((x) => x.endsWith('.tf'))) fs.copyFileSync(path.join(TF, f), path.join(dir, f));
  for (const f of add) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
  for (const [file, from, to] of edits) {
    const p = path.join(dir, file);
    const text = fs.readFileSync(p, 'utf8');
    assert.ok(text.includes(from), `edit target not found in ${file}: ${from} (update this test with the Terraform)`);
    fs.writeFileSync(p, text.replace(from, to));
  }
  return dir;
}

async function check(dir, opts = {}) {
  try {
    return await checkTerraform(dir, { sourceDir: SOURCE, ddl: null, ...opts });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function expectProblem(report, pattern) {
  assert.ok(report.errors.length > 0, 'the checker passed a broken configuration');
  assert.ok(report.errors.some((e) => pattern.test(e)), `no error matches ${pattern}; errors:\n${report.errors.join('\n')}`);
}

test('the real deployment passes every check', async () => {
  const r = await check(variant());
  assert.deepEqual(r.errors, []);
});

const CASES = [
  ['dangling variable and resource references', { add: ['dangling_reference.tf'] },
    [/reference var\.does_not_exist does not resolve/, /reference aws_s3_bucket\.nowhere\.id does not resolve/]],
  ['"*" action', { add: ['star_action.tf'] }, [/too_broad statement #1: "\*" action/]],
  ['"*" resource for a scopable action', { add: ['star_resource.tf'] }, [/"\*" resource for s3:GetObject/]],
  ['service-wide wildcard action', { add: ['service_wildcard.tf'] }, [/service-wide wildcard action "s3:\*"/]],
  ['managed policy attachment', { add: ['managed_policy.tf'] }, [/attached managed policies/]],
  ['unused variable', { add: ['unused_variable.tf'] }, [/variable "forgotten" is declared but never used/]],
  ['HCL syntax error', { add: ['syntax_error.tf'] }, [/\[hcl\] syntax_error\.tf: HCL parse error/]],
  ['missing Glue column', { edits: [['glue.tf', '    { name = "ph", type = "double", comment = "pH" },\n', '']] },
    [/Glue columns differ from src\/beer\/schema\.h: missing column #9 ph string/, /view columns differ from src\/beer\/schema\.h: missing column #9 ph double/]],
  ['wrong Glue column type', { edits: [['glue.tf', '{ name = "ibu", type = "double"', '{ name = "ibu", type = "string"']] },
    [/view columns differ .*column #4 is ibu string, schema says ibu double/]],
  ['typed columns read by OpenCSVSerde without null handling', { edits: [['glue.tf', '        type    = "string"\n        comment = columns.value.comment', '        type    = columns.value.type\n        comment = columns.value.comment']] },
    [/OpenCSVSerde fails on empty numeric fields/]],
  ['string columns without a typed view', { edits: [['glue.tf', 'table_type         = "VIRTUAL_VIEW"', 'table_type         = "EXTERNAL_TABLE"']] },
    [/no typed view/]],
  ['LazySimpleSerDe', { edits: [['glue.tf', '"org.apache.hadoop.hive.serde2.OpenCSVSerde"', '"org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"']] },
    [/LazySimpleSerDe cannot read quoted names/]],
  ['projection layout', { edits: [['glue.tf', '"yyyy/MM/dd/HH"', '"yyyy/MM/dd"']] }, [/projection\.datehour\.format must be yyyy\/MM\/dd\/HH/]],
  ['public access not fully blocked', { edits: [['s3.tf', 'restrict_public_buckets = true', 'restrict_public_buckets = false']] },
    [/bucket raw: no aws_s3_bucket_public_access_block/]],
  ['TLS-only policy without its condition', { edits: [['s3.tf', '"aws:SecureTransport"', '"aws:SourceIp"']] }, [/bucket models: no TLS-only bucket policy/]],
  ['bucket without encryption', { edits: [['s3.tf', 'for_each = aws_s3_bucket.this\n\n  bucket = each.value.id\n  rule {\n    apply', 'for_each = { raw = aws_s3_bucket.this["raw"] }\n\n  bucket = each.value.id\n  rule {\n    apply']] },
    [/bucket (cleaned|predictions): no server-side encryption configuration/]],
  ['missing bucket', { edits: [['locals.tf', '    predictions    = "${var.name_prefix}-predictions"\n', '']] },
    [/bucket <prefix>-predictions .* is not declared/]],
  ['unencrypted stream', { edits: [['kinesis.tf', 'encryption_type  = "KMS"', 'encryption_type  = "NONE"']] }, [/encryption_type must be KMS/]],
  ['error prefix without the error type', { edits: [['locals.tf', '"!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/"', '"errors/!{timestamp:yyyy/MM/dd/HH}/"']] },
    [/raw: error_output_prefix must contain !\{firehose:error-output-type\}/, /cleaned: failed transforms must land under processing-failed\//]],
  ['raw without newline delimiter', { edits: [['firehose.tf', 'type = "AppendDelimiterToRecord"', 'type = "RecordDeAggregation"']] }, [/AppendDelimiterToRecord/]],
  ['cleaned without the transform processor', { edits: [['firehose.tf', '"${aws_lambda_function.transform.arn}:$LATEST"', '"arn:aws:lambda:eu-west-1:123456789012:function:other"']] },
    [/must invoke aws_lambda_function\.transform/]],
  ['firehose without buffering hints', { edits: [['firehose.tf', '    buffering_interval  = var.buffering_interval_seconds\n', '']] }, [/buffering hints/]],
  ['log group without retention', { edits: [['lambda.tf', '  name              = "/aws/lambda/${each.value}"\n  retention_in_days = var.log_retention_days\n', '  name = "/aws/lambda/${each.value}"\n']] },
    [/log group without retention_in_days/, /no log group \/aws\/lambda\/\$\{var\.name_prefix\}-ingest with retention/]],
  ['wrong runtime', { edits: [['lambda.tf', 'runtime          = "provided.al2023"', 'runtime          = "python3.12"']] }, [/ingest: runtime must be provided\.al2023/]],
  ['role shared by two functions', { edits: [['lambda.tf', 'role             = aws_iam_role.transform.arn', 'role             = aws_iam_role.ingest.arn']] },
    [/aws_iam_role\.ingest is shared by/]],
  ['function URL without IAM auth', { edits: [['lambda.tf', 'authorization_type = "AWS_IAM"', 'authorization_type = "NONE"']] }, [/must use authorization_type AWS_IAM/]],
  ['schedule default', { edits: [['variables.tf', 'default     = "rate(5 minutes)"', 'default     = "rate(1 minute)"']] }, [/schedule_expression must default to rate\(5 minutes\)/]],
  ['Athena results outside the results bucket', { edits: [['glue.tf', 'aws_s3_bucket.this["athena_results"].bucket}/results/', 'aws_s3_bucket.this["raw"].id}/results/']] },
    [/result location must be in the athena-results bucket/]],
];

for (const [name, change, patterns] of CASES) {
  test(`fails on: ${name}`, async () => {
    const r = await check(variant(change));
    for (const p of patterns) expectProblem(r, p);
  });
}

test('a "*" resource is accepted only for an action listed with a reason', async () => {
  const r = await check(variant({ add: ['star_resource_excepted.tf'] }));
  assert.deepEqual(r.errors, []);
  assert.ok(r.notes.some((n) => /cloudwatch:PutMetricData/.test(n)), 'the used exception is reported');
});

test('fails when the schema in code gains a column the Glue table lacks', async () => {
  const r = await check(variant(), { schema: path.join(FIXTURES, 'schema_extra_column.h') });
  expectProblem(r, /missing column #10 attenuation_level double/);
});

// The shape `brewline table ddl --athena` prints (src/table/athena_ddl.cc): string table + typed view.
function fakeDdl({ phType = 'double', serde = 'org.apache.hadoop.hive.serde2.OpenCSVSerde', unit = 'HOURS' } = {}) {
  const names = ['id', 'name', 'abv', 'ibu', 'target_fg', 'target_og', 'ebc', 'srm', 'ph'];
  const types = { id: 'bigint', name: 'string', ph: phType };
  const cols = names.map((n) => `  \`${n}\` string COMMENT 'x'`).join(',\n');
  const view = names.map((n) => ((types[n] || 'double') === 'string' ? `  "${n}",` : `  TRY_CAST(NULLIF("${n}", '') AS ${types[n] || 'double'}) AS "${n}",`)).join('\n');
  return `CREATE EXTERNAL TABLE IF NOT EXISTS \`brewline\`.\`cleaned_csv\` (\n${cols}\n)\nPARTITIONED BY (\`datehour\` string)\n` +
    `ROW FORMAT SERDE '${serde}'\nWITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"', 'escapeChar' = '\\\\')\n` +
    `STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'\nOUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n` +
    `LOCATION 's3://cleaned/'\nTBLPROPERTIES (\n  'projection.enabled' = 'true',\n  'projection.datehour.type' = 'date',\n` +
    `  'projection.datehour.format' = 'yyyy/MM/dd/HH',\n  'projection.datehour.range' = '2021/01/01/00,NOW',\n` +
    `  'projection.datehour.interval' = '1',\n  'projection.datehour.interval.unit' = '${unit}',\n` +
    `  'storage.location.template' = 's3://cleaned/\${datehour}/'\n);\n\n` +
    `CREATE OR REPLACE VIEW "brewline"."cleaned" AS\nSELECT\n${view}\n  "datehour",\n  "$path" AS object_key\nFROM "brewline"."cleaned_csv";\n`;
}

test('agrees with `brewline table ddl --athena` output, and fails where it differs', async () => {
  const ok = await check(variant(), { ddl: fakeDdl() });
  assert.deepEqual(ok.errors, []);
  assert.ok(ok.notes.some((n) => /compared the Glue tables .* \(9 columns, 11 view columns/.test(n)), ok.notes.join('\n'));
  const r = await check(variant(), { ddl: fakeDdl({ phType: 'bigint', serde: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', unit: 'DAYS' }) });
  expectProblem(r, /view columns differ from `brewline table ddl --athena`: column #9 is ph double, schema says ph bigint/);
  expectProblem(r, /SerDe .* differs from `brewline table ddl --athena`/);
  expectProblem(r, /table property projection\.datehour\.interval\.unit is "HOURS", `brewline table ddl --athena` says "DAYS"/);
});

test('the command line fails (exit 1) on the small broken fixture and names each problem', () => {
  const res = spawnSync(process.execPath, [path.join(__dirname, 'check_terraform.js'), '--dir', path.join(FIXTURES, 'broken_small')],
    { encoding: 'utf8', timeout: 60000 });
  assert.equal(res.status, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /reference var\.prefixx does not resolve/);
  assert.match(res.stdout, /"\*" action/);
  assert.match(res.stdout, /missing column #3 abv double/);
});

test('the command line refuses unknown options with exit 2', () => {
  const res = spawnSync(process.execPath, [path.join(__dirname, 'check_terraform.js'), '--bogus'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(res.status, 2);
  assert.match(res.stderr, /unknown or incomplete option --bogus/);
});
