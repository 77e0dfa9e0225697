// Required compute/delivery resources and their settings: the two Firehoses (Kinesis source, buffering, error
// prefix, logging, newline delimiter / Lambda processor), the three Lambdas on provided.al2023 with their log
// groups, the EventBridge schedule, the scorer's event source mapping and function URL, variables and outputs.
'use strict';

const { asList, dig, instances, mentions, resolveString } = require('./hcl_model');
const { allowStatementsOfRole } = require('./iam');
const { bucketByRole, designates } = require('./storage');

const ERROR_TYPE = '!{firehose:error-output-type}';

function processors(fh) {
  return asList(dig(fh, 'extended_s3_configuration.processing_configuration.processors'));
}

function param(proc, name) {
  const p = asList(proc.parameters).find((x) => x.parameter_name === name);
  return p ? p.parameter_value : undefined;
}

function logGroupsWithRetention(model) {
  const names = new Map();
  for (const [n, g] of model.resourcesOfType('aws_cloudwatch_log_group')) {
    for (const each of instances(model, g) || [null]) {
      names.set(resolveString(model, g.name, each), g.retention_in_days !== undefined);
    }
    if (g.retention_in_days === undefined) {
      // Reported once per resource: every log group this stack creates must expire.
      names.set(`aws_cloudwatch_log_group.${n}`, false);
    }
  }
  return names;
}

function checkFirehose(model, report, buckets, glue) {
  const streams = model.resourcesOfType('aws_kinesis_firehose_delivery_stream');
  for (const role of ['raw', 'cleaned']) {
    const bucket = bucketByRole(model, buckets, role);
    const entry = bucket && streams.find(([, f]) => designates(dig(f, 'extended_s3_configuration.bucket_arn'), bucket, null));
    if (!entry) {
      report.error('firehose', `no Firehose delivery stream writing to the ${role} bucket`);
      continue;
    }
    const [n, fh] = entry;
    const where = `aws_kinesis_firehose_delivery_stream.${n}`;
    const s3 = dig(fh, 'extended_s3_configuration') || {};
    if (fh.destination !== 'extended_s3') report.error('firehose', `${where}: destination must be extended_s3`);
    if (!mentions(dig(fh, 'kinesis_source_configuration.kinesis_stream_arn'), `aws_kinesis_stream.${(model.resourcesOfType('aws_kinesis_stream')[0] || [''])[0]}`)) {
      report.error('firehose', `${where}: source must be the Kinesis stream (kinesis_source_configuration)`);
    }
    if (s3.buffering_size === undefined || s3.buffering_interval === undefined) report.error('firehose', `${where}: buffering hints (buffering_size, buffering_interval) missing`);
    const prefix = resolveString(model, s3.prefix || '');
    const errorPrefix = resolveString(model, s3.error_output_prefix || '');
    if (!errorPrefix.includes(ERROR_TYPE)) report.error('firehose', `${where}: error_output_prefix must contain ${ERROR_TYPE}`);
    if (!/!\{timestamp:yyyy\/MM\/dd\/HH\}\/$/.test(prefix)) report.error('firehose', `${where}: prefix must end with the YYYY/MM/dd/HH layout (!{timestamp:yyyy/MM/dd/HH}/)`);
    const log = dig(s3, 'cloudwatch_logging_options') || {};
    if (log.enabled !== true || !/aws_cloudwatch_log_group\./.test(log.log_group_name || '')) {
      report.error('firehose', `${where}: CloudWatch logging must be enabled into a log group declared here`);
    }
    const procs = processors(fh);
    if (role === 'raw' && !procs.some((p) => p.type === 'AppendDelimiterToRecord')) {
      report.error('firehose', `${where}: raw records need the AppendDelimiterToRecord processor (one JSON document per line)`);
    }
    if (role === 'cleaned') {
      const lambda = procs.find((p) => p.type === 'Lambda');
      if (!lambda) report.error('firehose', `${where}: no Lambda processor`);
      else {
        if (!mentions(param(lambda, 'LambdaArn'), 'aws_lambda_function.transform')) report.error('firehose', `${where}: the Lambda processor must invoke aws_lambda_function.transform`);
        if (param(lambda, 'NumberOfRetries') === undefined) report.error('firehose', `${where}: Lambda processor without NumberOfRetries`);
      }
      if (!errorPrefix.replace(ERROR_TYPE, 'processing-failed').startsWith('processing-failed/')) {
        report.error('firehose', `${where}: failed transforms must land under processing-failed/ (is ${errorPrefix})`);
      }
      // The Glue projection must read exactly where this stream writes.
      if (glue) {
        const layout = prefix.replace(/!\{timestamp:yyyy\/MM\/dd\/HH\}\/$/, '');
        if (glue.format !== 'yyyy/MM/dd/HH' || !glue.template.endsWith(`/${layout}$\${datehour}/`)) {
          report.error('firehose', `${where}: prefix ${prefix} does not match the Glue storage.location.template ${glue.template}`);
        }
      }
    }
  }
}

const FUNCTIONS = ['ingest', 'transform', 'score'];

function checkLambdas(model, report) {
  const logs = logGroupsWithRetention(model);
  for (const [name, ok] of logs) if (!ok) report.error('logs', `${name}: log group without retention_in_days`);
  for (const fn of FUNCTIONS) {
    const f = model.resource('aws_lambda_function', fn);
    const where = `aws_lambda_function.${fn}`;
    if (!f) {
      report.error('lambda', `${where} is not declared`);
      continue;
    }
    if (f.runtime !== 'provided.al2023') report.error('lambda', `${where}: runtime must be provided.al2023`);
    if (f.handler !== 'bootstrap') report.error('lambda', `${where}: handler must be "bootstrap"`);
    if (JSON.stringify(f.architectures) !== '["x86_64"]') report.error('lambda', `${where}: architectures must be ["x86_64"]`);
    const fileVar = /^\$\{var\.(\w+)\}$/.exec(f.filename || '');
    const def = fileVar && model.variables[fileVar[1]] && model.variables[fileVar[1]].default;
    if (!fileVar || typeof def !== 'string' || !def.endsWith(`build/lambda/${fn}.zip`)) {
      report.error('lambda', `${where}: filename must be a variable defaulting to build/lambda/${fn}.zip`);
    } else if (!/filebase64sha256\(/.test(f.source_code_hash || '') || !mentions(f.source_code_hash, `var.${fileVar[1]}`)) {
      report.error('lambda', `${where}: source_code_hash must be filebase64sha256(var.${fileVar[1]})`);
    }
    const fname = resolveString(model, f.function_name);
    if (logs.get(`/aws/lambda/${fname}`) !== true) report.error('logs', `${where}: no log group /aws/lambda/${fname} with retention`);
  }
}

function checkSchedule(model, report) {
  const rules = model.resourcesOfType('aws_cloudwatch_event_rule');
  const rule = rules.find(([, r]) => mentions(r.schedule_expression, 'var.schedule_expression'));
  const v = model.variables.schedule_expression;
  if (!v || v.default !== 'rate(5 minutes)') report.error('events', 'variable schedule_expression must default to rate(5 minutes)');
  if (!rule) {
    report.error('events', 'no aws_cloudwatch_event_rule with schedule_expression = var.schedule_expression');
    return;
  }
  const ruleAddr = `aws_cloudwatch_event_rule.${rule[0]}`;
  const target = model.resourcesOfType('aws_cloudwatch_event_target').find(([, t]) => mentions(t.rule, ruleAddr) && mentions(t.arn, 'aws_lambda_function.ingest'));
  if (!target) report.error('events', `no aws_cloudwatch_event_target from ${ruleAddr} to aws_lambda_function.ingest`);
  const perm = model.resourcesOfType('aws_lambda_permission').find(([, p]) => p.principal === 'events.amazonaws.com' &&
    p.action === 'lambda:InvokeFunction' && mentions(p.function_name, 'aws_lambda_function.ingest') && mentions(p.source_arn, ruleAddr));
  if (!perm) report.error('events', `no aws_lambda_permission letting ${ruleAddr} (source_arn) invoke the ingest Lambda`);
}

function checkScorer(model, report, buckets) {
  const esm = model.resourcesOfType('aws_lambda_event_source_mapping').find(([, m]) =>
    /aws_kinesis_stream\./.test(m.event_source_arn || '') && mentions(m.function_name, 'aws_lambda_function.score'));
  if (!esm) report.error('scorer', 'no aws_lambda_event_source_mapping from the Kinesis stream to aws_lambda_function.score');
  const url = model.resourcesOfType('aws_lambda_function_url').find(([, u]) => mentions(u.function_name, 'aws_lambda_function.score'));
  if (!url) report.error('scorer', 'no aws_lambda_function_url for aws_lambda_function.score');
  else if (url[1].authorization_type !== 'AWS_IAM') report.error('scorer', 'the /v1/predict function URL must use authorization_type AWS_IAM');
  const f = model.resource('aws_lambda_function', 'score');
  const role = f && /aws_iam_role\.(\w+)/.exec(f.role || '');
  const predictions = bucketByRole(model, buckets, 'predictions');
  const canWrite = role && predictions && allowStatementsOfRole(model, role[1]).some((st) =>
    asList(st.actions).includes('s3:PutObject') && asList(st.resources).some((r) => designates(r, predictions, null)));
  if (!canWrite) report.error('scorer', 'the scorer role cannot s3:PutObject into the predictions bucket');
}

const REQUIRED_VARIABLES = ['region', 'name_prefix', 'schedule_expression', 'shard_count', 'buffering_size_mb',
  'buffering_interval_seconds', 'log_retention_days', 'lambda_ingest_zip', 'lambda_transform_zip', 'lambda_score_zip'];
const REQUIRED_OUTPUTS = ['buckets', 'stream_name', 'glue_table', 'athena_workgroup', 'predict_url'];

function checkInterface(model, report) {
  for (const v of REQUIRED_VARIABLES) if (!model.variables[v]) report.error('variables', `variable "${v}" is not declared`);
  for (const o of REQUIRED_OUTPUTS) if (!model.outputs[o]) report.error('outputs', `output "${o}" is not declared`);
  const provider = (model.providers.aws || [])[0];
  if (!provider || !mentions(provider.region, 'var.region')) report.error('variables', 'provider "aws" must take region from var.region');
}

module.exports = { checkFirehose, checkLambdas, checkSchedule, checkScorer, checkInterface };
