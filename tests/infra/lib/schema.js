// The cleaned schema as the code defines it (src/beer/schema.h, kCleanedColumns), and the Athena/Glue types its
// column types map to. The Glue table in Terraform and `brewline table ddl --athena` are compared against it.
'use strict';

const fs = require('fs');
const { execFileSync } = require('child_process');

const GLUE_TYPE = { Integer: 'bigint', Text: 'string', Real: 'double' };

// Reads kCleanedColumns: {"name", ColumnType::kX, nullable, "description"} entries, in order.
function readSchemaHeader(file) {
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf('kCleanedColumns');
  if (start < 0) throw new Error(`${file}: kCleanedColumns not found`);
  const body = text.slice(start, text.indexOf('}};', start));
  const cols = [];
  const re = /\{\s*"(\w+)"\s*,\s*ColumnType::k(\w+)\s*,\s*(true|false)/g;
  let m;
  while ((m = re.exec(body)) !== null) {
    if (!GLUE_TYPE[m[2]]) throw new Error(`${file}: column ${m[1]} has unknown type kind k${m[2]}`);
    cols.push({ name: m[1], type: GLUE_TYPE[m[2]], nullable: m[3] === 'true' });
  }
  const declared = /std::array<Column,\s*(\d+)>\s*kCleanedColumns/.exec(text);
  if (declared && Number(declared[1]) !== cols.length) {
    throw new Error(`${file}: kCleanedColumns declares ${declared[1]} columns but ${cols.length} were parsed`);
  }
  if (cols.length === 0) throw new Error(`${file}: no columns parsed from kCleanedColumns`);
  return cols;
}

// Lists differences between two column lists (name and type, in order) as human-readable lines.
function diffColumns(expected, actual, what) {
  const out = [];
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (!a) out.push(`${what}: missing column #${i + 1} ${e.name} ${e.type}`);
    else if (!e) out.push(`${what}: extra column #${i + 1} ${a.name} ${a.type}`);
    else if (e.name !== a.name || e.type !== String(a.type).toLowerCase()) {
      out.push(`${what}: column #${i + 1} is ${a.name} ${a.type}, schema says ${e.name} ${e.type}`);
    }
  }
  return out;
}

// Runs `brewline table ddl --athena` if the binary exists and supports it; returns null when it does not.
function tableDdl(brewline) {
  if (!brewline || !fs.existsSync(brewline)) return null;
  try {
    return execFileSync(brewline, ['table', 'ddl', '--athena'], { encoding: 'utf8', timeout: 20000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return null;
  }
}

// Columns, SerDe, SERDEPROPERTIES and TBLPROPERTIES of the CREATE EXTERNAL TABLE statement, and the columns of
// the CREATE VIEW that may follow it (TRY_CAST(NULLIF("x", '') AS t) AS "x" → x t; "x" → x string;
// "$path" AS x → x string).
function parseDdl(ddl) {
  const tableStart = ddl.search(/CREATE\s+EXTERNAL\s+TABLE/i);
  const viewStart = ddl.search(/CREATE\s+(OR\s+REPLACE\s+)?VIEW/i);
  const tableText = viewStart > tableStart ? ddl.slice(tableStart, viewStart) : ddl.slice(tableStart);
  const columns = [];
  const body = balanced(tableText, tableText.indexOf('('));
  for (const part of splitTopLevel(body)) {
    const m = /^\s*[`"]?(\w+)[`"]?\s+([A-Za-z]+)/.exec(part);
    if (m) columns.push({ name: m[1], type: m[2].toLowerCase() });
  }
  const serde = /ROW\s+FORMAT\s+SERDE\s+'([^']+)'/i.exec(tableText);
  const props = (re) => {
    const at = tableText.search(re);
    return at < 0 ? {} : pairs(balanced(tableText, tableText.indexOf('(', at)));
  };
  const view = [];
  if (viewStart >= 0) {
    for (const line of ddl.slice(viewStart).split('\n')) {
      let m = /TRY_CAST\(NULLIF\("(\w+)",\s*''\)\s+AS\s+(\w+)\)\s+AS\s+"(\w+)"/i.exec(line);
      if (m) { view.push({ name: m[3], type: m[2].toLowerCase() }); continue; }
      m = /^\s*"\$path"\s+AS\s+"?(\w+)"?,?\s*$/i.exec(line) || /^\s*"(\w+)",?\s*$/.exec(line);
      if (m) view.push({ name: m[1], type: 'string' });
    }
  }
  return {
    columns, serde: serde ? serde[1] : null, view,
    serdeProperties: props(/WITH\s+SERDEPROPERTIES/i), tableProperties: props(/TBLPROPERTIES/i),
  };
}

// The text inside the parentheses that open at `open`, skipping quoted strings.
function balanced(text, open) {
  if (open < 0) return '';
  let depth = 0;
  let quote = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '`' || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return '';
}

function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let quote = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '`' || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
  }
  parts.push(text.slice(start));
  return parts;
}

// 'key' = 'value' pairs of a Hive property list, with Hive's backslash escapes undone.
function pairs(text) {
  const out = {};
  const unq = (s) => s.slice(1, -1).replace(/\\(.)/g, '$1');
  const re = /('(?:[^'\\]|\\.)*')\s*=\s*('(?:[^'\\]|\\.)*')/g;
  let m;
  while ((m = re.exec(text)) !== null) out[unq(m[1])] = unq(m[2]);
  return out;
}

module.exports = { readSchemaHeader, diffColumns, tableDdl, parseDdl, GLUE_TYPE };
