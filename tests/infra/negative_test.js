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
  ['missing Glue column', { edits: [['glue.tf', 'columns {\n      name    = "ph"\n      type    = "double"\n      comment = "pH"\n    }\n', '']] },
    [/Glue columns differ from src\/beer\/schema\.h: missing column #9 ph double/]],
  ['wrong Glue column type', { edits: [['glue.tf', 'name    = "ibu"\n      type    = "double"', 'name    = "ibu"\n      type    = "string"']] },
    [/column #4 is ibu string, schema says ibu double/]],
  ['OpenCSVSerde without null handling', { edits: [['glue.tf', '"use.null.for.invalid.data"         = "TRUE"\n', '']] },
    [/OpenCSVSerde fails on empty numeric fields/]],
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

test('compares with `brewline table ddl --athena` output when there is one', async () => {
  const cols = '`id` bigint, `name` string, `abv` double, `ibu` double, `target_fg` double, `target_og` double, `ebc` double, `srm` double, `ph` double';
  const same = `CREATE EXTERNAL TABLE cleaned (${cols}) PARTITIONED BY (datehour string) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' LOCATION 's3://b/'`;
  assert.deepEqual((await check(variant(), { ddl: same })).errors, []);
  const other = same.replace('`ph` double', '`ph` string').replace('OpenCSVSerde', 'lazy.LazySimpleSerDe');
  const r = await check(variant(), { ddl: other });
  expectProblem(r, /columns differ from `brewline table ddl --athena`: column #9 is ph string/);
  expectProblem(r, /SerDe .* differs from `brewline table ddl --athena`/);
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
