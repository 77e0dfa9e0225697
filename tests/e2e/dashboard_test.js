// Dashboard end to end in headless Chromium: train a model, backfill the catalogue, `brewline run`, open the
// dashboard served by the run, check live numbers and the prediction form, save a screenshot.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const src = process.env.BREWLINE_SOURCE_DIR || path.resolve(__dirname, '../..');
const bin = process.env.BREWLINE_BINARY_DIR || path.join(src, 'build');
const brewline = path.join(bin, 'brewline');
const npmDir = path.join(src, '.cache/npm/node_modules');
const chromiumPath = '/usr/bin/chromium';
const screenshot = path.join(bin, 'dashboard-e2e.png');

function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exitCode = 1;
  throw new Error(msg);
}
function check(cond, msg) {
  if (!cond) fail(msg);
  console.log('ok - ' + msg);
}
function sh(args, timeoutMs = 120000) {
  const r = spawnSync(brewline, args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) fail(`brewline ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}
function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

async function main() {
  if (!fs.existsSync(chromiumPath)) fail(`${chromiumPath} is missing: run scripts/install-deps.sh test`);
  let playwright;
  try {
    playwright = require(path.join(npmDir, 'playwright-core'));
  } catch (e) {
    fail('playwright-core is missing from .cache/npm: run scripts/install-deps.sh test');
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'brewline-e2e-'));
  const data = path.join(tmp, 'data');
  let run;
  let context;
  try {
    // 1. A model, trained on the catalogue as a cleaned CSV (small CV to stay quick).
    const beers = JSON.parse(fs.readFileSync(path.join(npmDir, 'punkapi-db/data.json'), 'utf8'));
    const cols = ['id', 'name', 'abv', 'ibu', 'target_fg', 'target_og', 'ebc', 'srm', 'ph'];
    const csv = [cols.join(',')].concat(beers.map((b) => cols.map((c) => csvField(b[c])).join(','))).join('\n') + '\n';
    fs.writeFileSync(path.join(tmp, 'cleaned.csv'), csv);
    sh(['model', 'train', '--data-dir', data, '--from-csv', path.join(tmp, 'cleaned.csv'), '--folds', '3',
        '--repeats', '1', '--rounds', '80']);
    // 2. The catalogue on the stream, then a short run that delivers, scores and serves it.
    sh(['ingest', '--all', '--data-dir', data]);
    const log = path.join(tmp, 'run.log');
    const logFd = fs.openSync(log, 'w');
    run = spawn(brewline, ['run', '--data-dir', data, '--for', '120s', '--every', '2s', '--buffer-interval', '1s',
      '--poll-interval', '200ms', '--table-sync-interval', '1s', '--punkapi-listen', '127.0.0.1:0',
      '--admin-listen', '127.0.0.1:0'], { stdio: ['ignore', logFd, logFd] });
    let url = null;
    for (let i = 0; i < 600 && !url; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const m = /run\.serve_listening.*url="?(http:\/\/[0-9.:]+)/.exec(fs.readFileSync(log, 'utf8'));
      if (m) url = m[1];
      if (run.exitCode !== null) fail('brewline run exited early: ' + fs.readFileSync(log, 'utf8'));
    }
    check(url, 'brewline run serves the API and dashboard at ' + url);

    // 3. The dashboard in Chromium.
    context = await playwright.chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 1000 },
    });
    const page = context.pages()[0] || (await context.newPage());
    const external = [];
    page.on('request', (req) => { if (!req.url().startsWith(url)) external.push(req.url()); });
    await page.goto(url + '/', { waitUntil: 'load' });
    const num = async (sel) => Number(((await page.textContent(sel)) || '').replace(/[^0-9]/g, '') || '0');
    // Live numbers refresh by themselves: wait until every stage has counted something.
    await page.waitForFunction(() => {
      const n = (id) => Number((document.getElementById(id)?.textContent || '').replace(/[^0-9]/g, '') || '0');
      const bucket = (b) => Number((document.querySelector(`#bucket-${b} .count`)?.textContent || '0').replace(/[^0-9]/g, ''));
      return n('stream-records') > 0 && n('prediction-rows') > 0 && n('table-rows') > 0 &&
        bucket('raw') > 0 && bucket('predictions') > 0 && document.querySelectorAll('#latest tbody tr').length > 0;
    }, null, { timeout: 90000, polling: 500 });
    check(await num('#stream-records') >= 325, 'the stream count shows the backfilled catalogue');
    check(await num('#prediction-rows') > 0, 'the predictions table count is non-zero');
    check(await num('#table-rows') > 0, 'the cleaned table count is non-zero');
    check((await page.textContent('#model-version')).trim() === 'v1', 'the model version is shown');
    check(/scoring/.test(await page.textContent('#scorer-state')), 'the scorer is scoring');
    check((await page.locator('#consumer-predictions').count()) === 1, 'the scorer appears as a stream consumer');
    check((await page.locator('#confusion tr').count()) === 7, 'the confusion matrix has a header and six bands');
    check(/accuracy/.test(await page.textContent('#quality')), 'live quality is shown');

    // 4. The prediction form.
    await page.fill('input[name=abv]', '8.5');
    await page.click('#predict-button');
    await page.waitForSelector('#predicted-band', { timeout: 20000 });
    const band = (await page.textContent('#predicted-band')).trim();
    check(/^\[\d+,(\d+|inf)\)$/.test(band), 'the prediction form returns a band: ' + band);

    await page.screenshot({ path: screenshot, fullPage: true });
    check(fs.statSync(screenshot).size > 10000, 'screenshot saved to ' + screenshot);
    check(external.length === 0, 'the page loads nothing from outside the server: ' + external.join(' '));
  } finally {
    if (context) await context.close().catch(() => {});
    if (run && run.exitCode === null) {
      run.kill('SIGTERM');
      const code = await new Promise((r) => { run.on('exit', (c) => r(c)); setTimeout(() => r('timeout'), 60000); });
      if (code !== 0) { console.error('brewline run exit: ' + code); process.exitCode = 1; }
      if (code === 0) {
        // After a clean stop: one prediction per beer record, each with the model version, none twice.
        const q = 'SELECT (SELECT count(*) FROM predictions) AS n, (SELECT count(DISTINCT shard_id || sequence_number) ' +
          'FROM predictions) AS distinct_records, (SELECT count(*) FROM predictions WHERE model_version = 1) AS v1, ' +
          '(SELECT count(*) FROM cleaned) AS cleaned';
        const row = JSON.parse(sh(['sql', '--data-dir', data, '--format', 'json', q]))[0];
        check(row.n === row.distinct_records && row.n === row.v1 && row.n === row.cleaned && row.n >= 325,
          `every beer record scored exactly once with v1 (${JSON.stringify(row)})`);
        check(/scorer: scoring with model v1/.test(sh(['status', '--data-dir', data])), 'brewline status shows the scorer');
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(() => {
  if (!process.exitCode) console.log('dashboard e2e: all checks passed');
}, (e) => {
  console.error(e.stack || String(e));
  process.exitCode = 1;
});
