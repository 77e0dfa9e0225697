// Required storage resources and their settings: the five buckets (public access blocked, SSE, TLS-only policy,
// owner-enforced ownership), the KMS-encrypted Kinesis stream, the Glue table over `cleaned` (columns = the
// schema in code, SerDe, partition projection on Firehose's layout) and the Athena workgroup.
'use strict';

const { asList, dig, designatedKeys, instances, mentions, resolveString } = require('./hcl_model');
const { documentOf } = require('./iam');
const { diffColumns, parseDdl } = require('./schema');

const BUCKET_ROLES = ['raw', 'cleaned', 'athena-results', 'models', 'predictions'];

// Every bucket instance: {address, key, name} with name resolved as far as variables allow.
function bucketInstances(model, report) {
  const out = [];
  for (const [rn, block] of model.resourcesOfType('aws_s3_bucket')) {
    const inst = instances(model, block);
    if (!inst) {
      report.error('s3', `aws_s3_bucket.${rn}: for_each is not a literal map this check can expand`);
      continue;
    }
    for (const each of inst) {
      out.push({ address: `aws_s3_bucket.${rn}`, key: each ? each.key : undefined, name: resolveString(model, block.bucket, each) });
    }
  }
  return out;
}

// The bucket a string designates ("${aws_s3_bucket.this["raw"].arn}", or each.value inside a for_each).
function designates(text, bucket, each) {
  if (bucket.key === undefined) return mentions(text, bucket.address);
  return designatedKeys(text, bucket.address, each).includes(bucket.key);
}

function bucketByRole(model, buckets, role) {
  return buckets.find((b) => b.name === `\${var.name_prefix}-${role}`);
}

// Does some instance of a resource of `type` target `bucket` (through `attr`) and satisfy `ok`?
function covered(model, type, attr, bucket, ok) {
  for (const [, block] of model.resourcesOfType(type)) {
    for (const each of instances(model, block) || [null]) {
      if (designates(block[attr], bucket, each) && ok(block, each)) return true;
    }
  }
  return false;
}

function tlsOnly(model, policyText, each) {
  const doc = model.dataSource('aws_iam_policy_document', documentOf(policyText));
  if (!doc) return false;
  return asList(doc.statement).some((st) => {
    const cond = asList(st.condition);
    const res = asList(st.resources);
    return st.effect === 'Deny' && asList(st.actions).includes('s3:*') &&
      asList(st.principals).some((p) => asList(p.identifiers).includes('*')) &&
      cond.some((c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && asList(c.values).includes('false')) &&
      res.some((r) => r.endsWith('/*')) && res.some((r) => !r.endsWith('/*'));
  });
}

function checkBuckets(model, report, buckets) {
  for (const role of BUCKET_ROLES) {
    const b = bucketByRole(model, buckets, role);
    if (!b) {
      report.error('s3', `bucket <prefix>-${role} (name "\${var.name_prefix}-${role}") is not declared`);
      continue;
    }
    const what = `bucket ${role}`;
    if (!covered(model, 'aws_s3_bucket_public_access_block', 'bucket', b, (x) =>
      ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => x[k] === true))) {
      report.error('s3', `${what}: no aws_s3_bucket_public_access_block with all four settings true`);
    }
    if (!covered(model, 'aws_s3_bucket_server_side_encryption_configuration', 'bucket', b, (x) =>
      ['AES256', 'aws:kms', 'aws:kms:dsse'].includes(dig(x, 'rule.apply_server_side_encryption_by_default.sse_algorithm')))) {
      report.error('s3', `${what}: no server-side encryption configuration`);
    }
    if (!covered(model, 'aws_s3_bucket_ownership_controls', 'bucket', b, (x) => dig(x, 'rule.object_ownership') === 'BucketOwnerEnforced')) {
      report.error('s3', `${what}: no ownership controls with BucketOwnerEnforced`);
    }
    if (!covered(model, 'aws_s3_bucket_policy', 'bucket', b, (x, each) => tlsOnly(model, x.policy, each))) {
      report.error('s3', `${what}: no TLS-only bucket policy (Deny s3:* when aws:SecureTransport is false, on the bucket and its objects)`);
    }
  }
}

function checkStream(model, report) {
  const streams = model.resourcesOfType('aws_kinesis_stream');
  if (streams.length !== 1) report.error('kinesis', `expected one aws_kinesis_stream, found ${streams.length}`);
  for (const [n, s] of streams) {
    if (s.encryption_type !== 'KMS') report.error('kinesis', `aws_kinesis_stream.${n}: encryption_type must be KMS`);
    if (!s.kms_key_id) report.error('kinesis', `aws_kinesis_stream.${n}: kms_key_id missing`);
    if (!mentions(s.shard_count, 'var.shard_count')) report.error('kinesis', `aws_kinesis_stream.${n}: shard_count must come from var.shard_count`);
  }
}

const PROJECTION = {
  'projection.enabled': 'true',
  'projection.datehour.type': 'date',
  'projection.datehour.range': '2021/01/01/00,NOW',
  'projection.datehour.interval': '1',
  'projection.datehour.interval.unit': 'HOURS',
};

function checkGlue(model, report, buckets, schema, ddl) {
  if (model.resourcesOfType('aws_glue_catalog_database').length === 0) report.error('glue', 'no aws_glue_catalog_database');
  const tables = model.resourcesOfType('aws_glue_catalog_table');
  const cleaned = bucketByRole(model, buckets, 'cleaned');
  const entry = tables.find(([, t]) => cleaned && designates(dig(t, 'storage_descriptor.location'), cleaned, null));
  if (!entry) {
    report.error('glue', 'no aws_glue_catalog_table whose storage_descriptor.location is the cleaned bucket');
    return null;
  }
  const [tn, t] = entry;
  const where = `aws_glue_catalog_table.${tn}`;
  const params = t.parameters || {};
  const sd = dig(t, 'storage_descriptor');
  const serde = dig(t, 'storage_descriptor.ser_de_info') || {};
  if (t.table_type !== 'EXTERNAL_TABLE') report.error('glue', `${where}: table_type must be EXTERNAL_TABLE`);
  if (dig(t, 'storage_descriptor.input_format') !== 'org.apache.hadoop.mapred.TextInputFormat') report.error('glue', `${where}: input_format must be TextInputFormat`);
  if (dig(t, 'storage_descriptor.output_format') !== 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat') report.error('glue', `${where}: output_format must be HiveIgnoreKeyTextOutputFormat`);

  const columns = asList(sd && sd.columns).map((c) => ({ name: c.name, type: c.type }));
  for (const d of diffColumns(schema, columns, `${where}: Glue columns differ from src/beer/schema.h`)) report.error('glue', d);

  // SerDe: names are RFC 4180-quoted and nulls are empty fields (see docs/deploy-aws.md).
  const lib = serde.serialization_library;
  const numeric = columns.some((c) => c.type !== 'string');
  if (lib === 'org.apache.hadoop.hive.serde2.OpenCSVSerde') {
    if (numeric && String(params['use.null.for.invalid.data']).toUpperCase() !== 'TRUE') {
      report.error('glue', `${where}: OpenCSVSerde fails on empty numeric fields (our nulls); set use.null.for.invalid.data=TRUE or declare them string`);
    }
    const sp = serde.parameters || {};
    if ((sp.separatorChar || ',') !== ',' || (sp.quoteChar || '"') !== '"') report.error('glue', `${where}: OpenCSVSerde must use separator , and quote "`);
  } else if (lib === 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe') {
    report.error('glue', `${where}: LazySimpleSerDe cannot read quoted names containing commas (RFC 4180 CSV)`);
  } else {
    report.error('glue', `${where}: unexpected SerDe ${lib}`);
  }

  // Partition projection over Firehose's YYYY/MM/dd/HH layout.
  const pk = asList(t.partition_keys);
  if (pk.length !== 1 || pk[0].name !== 'datehour' || pk[0].type !== 'string') report.error('glue', `${where}: partition key must be datehour string`);
  for (const [k, v] of Object.entries(PROJECTION)) {
    if (params[k] !== v) report.error('glue', `${where}: parameter ${k} must be "${v}" (is ${JSON.stringify(params[k])})`);
  }
  if (params['projection.datehour.format'] !== 'yyyy/MM/dd/HH') report.error('glue', `${where}: projection.datehour.format must be yyyy/MM/dd/HH`);
  const template = params['storage.location.template'] || '';
  if (!designates(template, cleaned, null) || !/\$\$\{datehour\}\/$/.test(template)) {
    report.error('glue', `${where}: storage.location.template must be s3://<cleaned bucket>/<prefix>\${datehour}/`);
  }

  if (ddl) {
    const parsed = parseDdl(ddl);
    for (const d of diffColumns(columns, parsed.columns, `${where}: columns differ from \`brewline table ddl --athena\``)) report.error('glue', d);
    if (parsed.serde && parsed.serde !== lib) report.error('glue', `${where}: SerDe ${lib} differs from \`brewline table ddl --athena\` (${parsed.serde})`);
    report.note(`compared the Glue table with \`brewline table ddl --athena\` (${parsed.columns.length} columns, ${parsed.serde})`);
  } else {
    report.note('`brewline table ddl --athena` not available: Glue table compared with src/beer/schema.h only');
  }
  return { template, format: params['projection.datehour.format'] };
}

function checkAthena(model, report, buckets) {
  const wgs = model.resourcesOfType('aws_athena_workgroup');
  if (wgs.length === 0) report.error('athena', 'no aws_athena_workgroup');
  const results = bucketByRole(model, buckets, 'athena-results');
  for (const [n, wg] of wgs) {
    const where = `aws_athena_workgroup.${n}`;
    const out = dig(wg, 'configuration.result_configuration.output_location');
    if (!results || !designates(out, results, null)) report.error('athena', `${where}: result location must be in the athena-results bucket`);
    if (!dig(wg, 'configuration.result_configuration.encryption_configuration.encryption_option')) report.error('athena', `${where}: query results not encrypted`);
    if (dig(wg, 'configuration.enforce_workgroup_configuration') !== true) report.error('athena', `${where}: enforce_workgroup_configuration must be true`);
  }
}

module.exports = { bucketInstances, bucketByRole, designates, checkBuckets, checkStream, checkGlue, checkAthena };
