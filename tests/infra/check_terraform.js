#!/usr/bin/env node
// Static checks of the AWS deployment (infra/terraform), run by `make test` because Terraform itself cannot
// reach AWS here. Parses every .tf with the HCL parser, then checks references, required resources and
// settings, IAM least privilege, and the Glue columns against the cleaned schema in code.
//
//   node tests/infra/check_terraform.js [--dir DIR] [--schema FILE] [--brewline BIN] [--exceptions FILE]
//
// Exit 0 when every check passes, 1 with one line per problem otherwise, 2 on usage errors.
'use strict';

const fs = require('fs');
const path = require('path');
const { loadDirectory } = require('./lib/hcl_model');
const { checkReferences } = require('./lib/references');
const { checkIam } = require('./lib/iam');
const { readSchemaHeader, tableDdl } = require('./lib/schema');
const storage = require('./lib/storage');
const compute = require('./lib/compute');

class Report {
  constructor() { this.errors = []; this.notes = []; }
  error(area, message) { this.errors.push(`[${area}] ${message}`); }
  note(message) { this.notes.push(message); }
}

// Runs every check on `dir`; returns the Report (never throws for problems in the Terraform itself).
async function checkTerraform(dir, opts = {}) {
  const sourceDir = opts.sourceDir || path.resolve(__dirname, '../..');
  const report = new Report();
  const model = await loadDirectory(dir, sourceDir);
  model.errors.forEach((e) => report.error('hcl', e));

  let schema = [];
  try {
    schema = readSchemaHeader(opts.schema || path.join(sourceDir, 'src/beer/schema.h'));
  } catch (e) {
    report.error('schema', e.message);
  }
  const exceptionsFile = opts.exceptions || path.join(__dirname, 'iam_star_resource_exceptions.json');
  const exceptions = JSON.parse(fs.readFileSync(exceptionsFile, 'utf8'));
  delete exceptions._comment;

  checkReferences(model, report);
  checkIam(model, report, exceptions);
  const buckets = storage.bucketInstances(model, report);
  storage.checkBuckets(model, report, buckets);
  storage.checkStream(model, report);
  const glue = storage.checkGlue(model, report, buckets, schema, opts.ddl !== undefined ? opts.ddl : tableDdl(opts.brewline));
  storage.checkAthena(model, report, buckets);
  compute.checkFirehose(model, report, buckets, glue);
  compute.checkLambdas(model, report);
  compute.checkSchedule(model, report);
  compute.checkScorer(model, report, buckets);
  compute.checkInterface(model, report);
  report.summary = `${model.files.length} files, ${Object.keys(model.variables).length} variables, ` +
    `${Object.values(model.resources).reduce((n, t) => n + Object.keys(t).length, 0)} resources, ` +
    `${Object.values(model.data).reduce((n, t) => n + Object.keys(t).length, 0)} data sources, ${model.references.length} references`;
  return report;
}

function parseArgs(argv) {
  const opts = {};
  const known = { '--dir': 'dir', '--schema': 'schema', '--brewline': 'brewline', '--exceptions': 'exceptions', '--source-dir': 'sourceDir' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--help' || argv[i] === '-h') return { help: true };
    const key = known[argv[i]];
    if (!key || i + 1 >= argv.length) throw new Error(`unknown or incomplete option ${argv[i]}`);
    opts[key] = argv[++i];
  }
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`check_terraform: ${e.message} (see --help)\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write('usage: check_terraform.js [--dir DIR] [--schema schema.h] [--brewline BIN] [--exceptions FILE] [--source-dir DIR]\n');
    return 0;
  }
  const sourceDir = opts.sourceDir || path.resolve(__dirname, '../..');
  const dir = opts.dir || path.join(sourceDir, 'infra/terraform');
  if (!fs.existsSync(dir)) {
    process.stderr.write(`check_terraform: no such directory ${dir}\n`);
    return 2;
  }
  const report = await checkTerraform(dir, { ...opts, sourceDir });
  for (const n of report.notes) process.stdout.write(`note: ${n}\n`);
  for (const e of report.errors) process.stdout.write(`FAIL ${e}\n`);
  process.stdout.write(`check_terraform: ${dir}: ${report.summary}: ${report.errors.length} problem(s)\n`);
  return report.errors.length === 0 ? 0 : 1;
}

module.exports = { checkTerraform };

if (require.main === module) {
  main().then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`check_terraform: ${e.stack || e}\n`);
    process.exitCode = 1;
  });
}
