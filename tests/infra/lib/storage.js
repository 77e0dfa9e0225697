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

// The columns of a Glue storage_descriptor: literal `columns` blocks, or a `dynamic "columns"` over a literal
// local list (or concat() of such lists) whose content uses columns.value.<attr> or literals.
function expandColumns(model, sd) {
  if (!sd) return [];
  const literal = asList(sd.columns).map((c) => ({ name: c.name, type: c.type }));
  const dyn = asList(sd.dynamic && sd.dynamic.columns)[0];
  if (!dyn) return literal;
  const items = literalList(model, dyn.for_each, 0);
  if (!items) return null;
  const content = asList(dyn.content)[0] || {};
  const field = (tpl, item) => (typeof tpl === 'string' ? tpl.replace(/^\$\{\s*columns\.value\.(\w+)\s*\}$/, (w, k) => item[k]) : tpl);
  return literal.concat(items.map((item) => ({ name: field(content.name, item), type: field(content.type, item) })));
}

// A list given as a literal local, or concat() of such (possibly through other locals); null otherwise.
function literalList(model, text, depth) {
  if (Array.isArray(text)) return text;
  const m = depth < 5 && /^\$\{\s*(?:concat\(([^)]*)\)|(local\.\w+))\s*\}$/.exec(typeof text === 'string' ? text : '');
  if (!m) return null;
  const out = [];
  for (const n of (m[1] || m[2]).split(',').map((x) => x.trim())) {
    if (!/^local\.\w+$/.test(n)) return null;
    const v = model.locals[n.slice(6)];
    const list = Array.isArray(v) ? v : literalList(model, v, depth + 1);
    if (!list) return null;
    out.push(...list);
  }
  return out;
}

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
  const serde = dig(t, 'storage_descriptor.ser_de_info') || {};
  if (t.table_type !== 'EXTERNAL_TABLE') report.error('glue', `${where}: table_type must be EXTERNAL_TABLE`);
  if (dig(t, 'storage_descriptor.input_format') !== 'org.apache.hadoop.mapred.TextInputFormat') report.error('glue', `${where}: input_format must be TextInputFormat`);
  if (dig(t, 'storage_descriptor.output_format') !== 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat') report.error('glue', `${where}: output_format must be HiveIgnoreKeyTextOutputFormat`);

  const columns = expandColumns(model, dig(t, 'storage_descriptor'));
  if (!columns) {
    report.error('glue', `${where}: columns are not literal blocks or a dynamic block over literal locals`);
    return null;
  }
  // Either every column is a string (nulls are empty fields) and a typed view carries the schema's types, or
  // the columns carry the types and OpenCSVSerde is told to read empty numbers as NULL.
  const allStrings = columns.length > 0 && columns.every((c) => c.type === 'string');
  const expectedRaw = allStrings ? schema.map((c) => ({ name: c.name, type: 'string' })) : schema;
  for (const d of diffColumns(expectedRaw, columns, `${where}: Glue columns differ from src/beer/schema.h`)) report.error('glue', d);

  const lib = serde.serialization_library;
  if (lib === 'org.apache.hadoop.hive.serde2.OpenCSVSerde') {
    if (!allStrings && String(params['use.null.for.invalid.data']).toUpperCase() !== 'TRUE') {
      report.error('glue', `${where}: OpenCSVSerde fails on empty numeric fields (our nulls); declare the columns string (with a typed view) or set use.null.for.invalid.data=TRUE`);
    }
    const sp = serde.parameters || {};
    if ((sp.separatorChar || ',') !== ',' || (sp.quoteChar || '"') !== '"') report.error('glue', `${where}: OpenCSVSerde must use separator , and quote "`);
  } else if (lib === 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe') {
    report.error('glue', `${where}: LazySimpleSerDe cannot read quoted names containing commas (RFC 4180 CSV)`);
  } else {
    report.error('glue', `${where}: unexpected SerDe ${lib}`);
  }

  const view = allStrings ? checkView(model, report, t, schema) : null;

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

  if (ddl) compareWithDdl(report, where, { columns, serde, params, view }, parseDdl(ddl));
  else report.note('`brewline table ddl --athena` not available: Glue tables compared with src/beer/schema.h only');
  return { template, format: params['projection.datehour.format'] };
}

// The typed Athena view over an all-string table: a VIRTUAL_VIEW Glue table whose first columns are the schema.
function checkView(model, report, table, schema) {
  const views = model.resourcesOfType('aws_glue_catalog_table').filter(([, v]) => v.table_type === 'VIRTUAL_VIEW');
  if (views.length === 0) {
    report.error('glue', 'the cleaned table has only string columns but there is no typed view (aws_glue_catalog_table with table_type VIRTUAL_VIEW)');
    return null;
  }
  const [vn, v] = views[0];
  const where = `aws_glue_catalog_table.${vn}`;
  if (v.database_name !== table.database_name) report.error('glue', `${where}: the view must be in the table's database`);
  if (!/^\/\* Presto View: /.test(v.view_original_text || '') || (v.parameters || {}).presto_view !== 'true') {
    report.error('glue', `${where}: not an Athena view (view_original_text "/* Presto View: <base64> */", parameter presto_view = "true")`);
  }
  const columns = expandColumns(model, dig(v, 'storage_descriptor'));
  if (!columns) {
    report.error('glue', `${where}: columns are not literal blocks or a dynamic block over literal locals`);
    return null;
  }
  // The view adds the partition (so queries on it still prune by hour) and the object key after the schema.
  const extras = new Set(['datehour', 'object_key']);
  const typed = columns.filter((c) => !extras.has(c.name));
  for (const d of diffColumns(schema, typed, `${where}: view columns differ from src/beer/schema.h`)) report.error('glue', d);
  if (!columns.some((c) => c.name === 'datehour')) report.error('glue', `${where}: the view must expose datehour so queries prune partitions`);
  return { columns };
}

function compareWithDdl(report, where, glue, ddl) {
  const tag = '`brewline table ddl --athena`';
  for (const d of diffColumns(glue.columns, ddl.columns, `${where}: columns differ from ${tag}`)) report.error('glue', d);
  if (ddl.serde && ddl.serde !== glue.serde.serialization_library) report.error('glue', `${where}: SerDe ${glue.serde.serialization_library} differs from ${tag} (${ddl.serde})`);
  for (const [k, v] of Object.entries(ddl.serdeProperties)) {
    if ((glue.serde.parameters || {})[k] !== v) report.error('glue', `${where}: SerDe property ${k} is ${JSON.stringify((glue.serde.parameters || {})[k])}, ${tag} says ${JSON.stringify(v)}`);
  }
  for (const [k, v] of Object.entries(ddl.tableProperties)) {
    const ours = glue.params[k];
    const same = k === 'storage.location.template' ? String(ours).endsWith(v.replace(/^s3:\/\/[^/]+\//, '/').replace('${', () => '$${')) : ours === v;
    if (!same) report.error('glue', `${where}: table property ${k} is ${JSON.stringify(ours)}, ${tag} says ${JSON.stringify(v)}`);
  }
  if (ddl.view.length > 0) {
    if (!glue.view) report.error('glue', `${where}: ${tag} defines a typed view; Terraform has none`);
    else for (const d of diffColumns(ddl.view, glue.view.columns, `${where}: view columns differ from ${tag}`)) report.error('glue', d);
  }
  report.note(`compared the Glue tables with ${tag} (${ddl.columns.length} columns, ${ddl.view.length} view columns, ${ddl.serde})`);
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
