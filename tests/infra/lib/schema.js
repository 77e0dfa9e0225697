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

// Columns and SerDe of a CREATE EXTERNAL TABLE statement.
function parseDdl(ddl) {
  const open = ddl.indexOf('(', ddl.search(/CREATE\s+EXTERNAL\s+TABLE/i));
  let depth = 0;
  let close = -1;
  for (let i = open; i >= 0 && i < ddl.length; i++) {
    if (ddl[i] === '(') depth++;
    else if (ddl[i] === ')' && --depth === 0) { close = i; break; }
  }
  const columns = [];
  if (open >= 0 && close > open) {
    for (const part of ddl.slice(open + 1, close).split(',')) {
      const m = /^\s*[`"]?(\w+)[`"]?\s+([A-Za-z]+)/.exec(part);
      if (m) columns.push({ name: m[1], type: m[2].toLowerCase() });
    }
  }
  const serde = /ROW\s+FORMAT\s+SERDE\s+'([^']+)'/i.exec(ddl);
  return { columns, serde: serde ? serde[1] : null };
}

module.exports = { readSchemaHeader, diffColumns, tableDdl, parseDdl, GLUE_TYPE };
