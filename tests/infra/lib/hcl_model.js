// Loads every .tf file of a Terraform directory with an HCL parser (@cdktf/hcl2json, the HashiCorp HCL library
// compiled to WebAssembly) into one model, finds every reference in every expression, and resolves the simple
// expressions the checks need (var defaults, literal locals, each.key/each.value over literal maps).
// It never evaluates arbitrary HCL: what it cannot resolve it leaves as the original "${...}" text.
'use strict';

const fs = require('fs');
const path = require('path');

function loadHcl2Json(sourceDir) {
  const candidates = [
    process.env.BREWLINE_HCL2JSON,
    path.join(sourceDir, '.cache/npm/node_modules/@cdktf/hcl2json'),
  ].filter(Boolean);
  for (const c of candidates) {
    if (fs.existsSync(c)) return require(c);
  }
  throw new Error(`@cdktf/hcl2json not found (looked in ${candidates.join(', ')}); run scripts/install-deps.sh test`);
}

// Parses and reference lists are pure functions of their input: memoized per process, so checking many
// variants of one configuration (tests/infra/negative_test.js) parses each distinct file and expression once.
const parseCache = new Map();
const refCache = new Map();

async function parseCached(hcl, file, text) {
  const key = `${file}\0${text}`;
  if (!parseCache.has(key)) parseCache.set(key, hcl.parse(file, text));
  return JSON.parse(JSON.stringify(await parseCache.get(key)));  // callers may keep what they get
}

async function referencesCached(hcl, file, expr) {
  if (!refCache.has(expr)) refCache.set(expr, hcl.getReferencesInExpression(file, expr));
  return refCache.get(expr);
}

// Roots that are not declarations: path.module, terraform.workspace, each.*, count.*, self.*.
const BUILTIN_ROOTS = new Set(['path', 'terraform', 'each', 'count', 'self']);

class TerraformModel {
  constructor() {
    this.files = [];          // file names, sorted
    this.variables = {};      // name -> block
    this.locals = {};         // name -> value (raw hcl2json value)
    this.resources = {};      // type -> name -> block
    this.data = {};           // type -> name -> block
    this.outputs = {};
    this.modules = {};
    this.providers = {};
    this.origin = {};         // "resource.type.name" -> file
    this.errors = [];         // problems found while loading
    this.references = [];     // {from, file, ref, expr}
  }

  resource(type, name) { return (this.resources[type] || {})[name]; }
  resourcesOfType(type) { return Object.entries(this.resources[type] || {}); }
  dataSource(type, name) { return (this.data[type] || {})[name]; }
  dataOfType(type) { return Object.entries(this.data[type] || {}); }
}

// Declares a block once; a second declaration with the same address is an error, as in Terraform.
function declare(model, table, key, value, address, file) {
  if (Object.prototype.hasOwnProperty.call(table, key)) {
    model.errors.push(`${file}: duplicate declaration of ${address} (first in ${model.origin[address]})`);
    return;
  }
  table[key] = value;
  model.origin[address] = file;
}

function mergeParsed(model, parsed, file) {
  for (const [name, blocks] of Object.entries(parsed.variable || {})) {
    declare(model, model.variables, name, blocks[0], `var.${name}`, file);
  }
  for (const block of parsed.locals || []) {
    for (const [name, value] of Object.entries(block)) {
      declare(model, model.locals, name, value, `local.${name}`, file);
    }
  }
  for (const [kind, table] of [['resource', model.resources], ['data', model.data]]) {
    for (const [type, byName] of Object.entries(parsed[kind] || {})) {
      table[type] = table[type] || {};
      for (const [name, blocks] of Object.entries(byName)) {
        const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
        declare(model, table[type], name, blocks[0], address, file);
      }
    }
  }
  for (const [name, blocks] of Object.entries(parsed.output || {})) {
    declare(model, model.outputs, name, blocks[0], `output.${name}`, file);
  }
  for (const [name, blocks] of Object.entries(parsed.module || {})) {
    declare(model, model.modules, name, blocks[0], `module.${name}`, file);
  }
  for (const [name, blocks] of Object.entries(parsed.provider || {})) {
    model.providers[name] = blocks;
  }
}

// Every string in a value (keys included: map keys may be expressions), with the JSON path that led to it.
function* strings(value, where) {
  if (typeof value === 'string') {
    yield [value, where];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* strings(value[i], `${where}[${i}]`);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('${')) yield [k, `${where}{key}`];
      yield* strings(v, `${where}.${k}`);
    }
  }
}

// Dynamic blocks introduce an iterator variable (the block label, or `iterator = name`) inside `content`.
function dynamicIterators(value, acc = new Set()) {
  if (Array.isArray(value)) {
    value.forEach((v) => dynamicIterators(v, acc));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'dynamic' && v && typeof v === 'object') {
        for (const [label, blocks] of Object.entries(v)) {
          acc.add(label);
          for (const b of [].concat(blocks)) if (b && typeof b.iterator === 'string') acc.add(b.iterator);
        }
      }
      dynamicIterators(v, acc);
    }
  }
  return acc;
}

// The top-level "${...}" and "%{...}" sequences of a template string, each returned whole. Literal text between
// them (which may hold quotes the parser would choke on once the string is re-quoted) is skipped, and so are the
// escapes "$${" and "%%{". Nested templates inside an interpolation stay inside it.
function interpolations(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') { i += 2; continue; }
    if ((c !== '$' && c !== '%') || text[i + 1] !== '{') continue;
    const end = closingBrace(text, i);
    out.push(text.slice(i, end + 1));
    i = end;
  }
  return out;
}

// Index of the "}" closing the interpolation that starts at text[i] ("${" or "%{"), tracking quoted strings
// and the templates nested inside them.
function closingBrace(text, i) {
  const stack = [{ string: false, depth: 1 }];
  let j = i + 2;
  while (j < text.length) {
    const top = stack[stack.length - 1];
    const d = text[j];
    if (top.string) {
      if (d === '\\') { j += 2; continue; }
      if (d === '"') { stack.pop(); j++; continue; }
      if ((d === '$' || d === '%') && text[j + 1] === d && text[j + 2] === '{') { j += 3; continue; }
      if ((d === '$' || d === '%') && text[j + 1] === '{') { stack.push({ string: false, depth: 1 }); j += 2; continue; }
      j++;
      continue;
    }
    if (d === '"') stack.push({ string: true });
    else if (d === '{') top.depth++;
    else if (d === '}' && --top.depth === 0) {
      stack.pop();
      if (stack.length === 0) return j;
    }
    j++;
  }
  return text.length - 1;
}

async function collectReferences(model, hcl, blocksByAddress) {
  for (const [address, { block, file }] of blocksByAddress) {
    const iterators = dynamicIterators(block);
    for (const [text, where] of strings(block, address)) {
      if (address.startsWith('var.') && where === `${address}.type`) continue;  // type = string, not a reference
      for (const expr of interpolations(text)) {
        let refs;
        try {
          refs = await referencesCached(hcl, file, expr);
        } catch (e) {
          model.errors.push(`${file}: ${where}: cannot parse expression ${JSON.stringify(expr)}: ${e.message || e}`);
          continue;
        }
        for (const r of refs) {
          // A variable's validation block refers to the variable itself: that is how validations are written.
          if (address.startsWith('var.') && r.value === address) continue;
          model.references.push({ from: address, where, file, ref: r.value, expr, iterators, block });
        }
      }
    }
  }
}

async function loadDirectory(dir, sourceDir) {
  const hcl = loadHcl2Json(sourceDir);
  const model = new TerraformModel();
  model.dir = dir;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  if (files.length === 0) model.errors.push(`${dir}: no .tf files`);
  const blocksByAddress = [];
  for (const file of files) {
    model.files.push(file);
    let parsed;
    try {
      parsed = await parseCached(hcl, file, fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (e) {
      model.errors.push(`${file}: HCL parse error: ${String(e.message || e).trim()}`);
      continue;
    }
    mergeParsed(model, parsed, file);
    for (const [name, blocks] of Object.entries(parsed.variable || {})) blocksByAddress.push([`var.${name}`, { block: blocks[0], file }]);
    for (const b of parsed.locals || []) for (const [n, v] of Object.entries(b)) blocksByAddress.push([`local.${n}`, { block: v, file }]);
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(parsed[kind] || {})) {
        for (const [name, blocks] of Object.entries(byName)) {
          const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
          blocksByAddress.push([address, { block: blocks[0], file }]);
        }
      }
    }
    for (const [name, blocks] of Object.entries(parsed.output || {})) blocksByAddress.push([`output.${name}`, { block: blocks[0], file }]);
    for (const [name, blocks] of Object.entries(parsed.module || {})) blocksByAddress.push([`module.${name}`, { block: blocks[0], file }]);
    for (const [name, blocks] of Object.entries(parsed.provider || {})) {
      blocks.forEach((b, i) => blocksByAddress.push([`provider.${name}[${i}]`, { block: b, file }]));
    }
  }
  await collectReferences(model, hcl, blocksByAddress);
  return model;
}

// ------------------------------------------------------------------ resolution helpers

// Splits "aws_s3_bucket.this.\"raw\".arn" (hcl2json's rendering of aws_s3_bucket.this["raw"].arn) into parts.
function refParts(ref) {
  const parts = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^.]+)/g;
  let m;
  while ((m = re.exec(ref)) !== null) parts.push(m[1] !== undefined ? { key: m[1] } : { name: m[2] });
  return parts;
}

// The declaration a reference points at, or null. Returns {kind, address}.
function resolveReference(model, ref) {
  const parts = refParts(ref);
  const [a, b, c] = parts.map((p) => p.name);
  if (a === 'var') return b && model.variables[b] ? { kind: 'variable', address: `var.${b}` } : null;
  if (a === 'local') return b && b in model.locals ? { kind: 'local', address: `local.${b}` } : null;
  if (a === 'module') return b && model.modules[b] ? { kind: 'module', address: `module.${b}` } : null;
  if (a === 'data') return b && c && model.dataSource(b, c) ? { kind: 'data', address: `data.${b}.${c}` } : null;
  if (a && b && model.resource(a, b)) return { kind: 'resource', address: `${a}.${b}` };
  return null;
}

function isBuiltinRoot(root) { return BUILTIN_ROOTS.has(root); }

// Does `text` reference the resource/data address (e.g. "aws_s3_bucket.this" with key "raw")?
function mentions(text, address, key) {
  if (typeof text !== 'string') return false;
  const esc = address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const keyPart = key === undefined ? '' : `\\[\\s*"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*\\]`;
  return new RegExp(`(^|[^\\w.])${esc}${keyPart}([^\\w]|$)`).test(text);
}

// A string with `${var.x}` (default), `${local.x}` / `${local.x.y}` (literal strings) and, given an `each`
// binding, `${each.key}` / `${each.value}` substituted. Anything else stays as written.
function resolveString(model, text, each, depth = 0) {
  if (typeof text !== 'string' || depth > 8) return text;
  return text.replace(/\$\{\s*([A-Za-z_][\w.]*)\s*\}/g, (whole, ref) => {
    const p = ref.split('.');
    if (p[0] === 'each' && each) {
      if (p[1] === 'key') return each.key;
      if (p[1] === 'value' && p.length === 2 && typeof each.value === 'string') return resolveString(model, each.value, null, depth + 1);
    }
    if (p[0] === 'var' && p.length === 2) {
      const v = model.variables[p[1]];
      if (v && v.default !== undefined && typeof v.default !== 'object') return String(v.default);
    }
    if (p[0] === 'local') {
      let v = model.locals[p[1]];
      for (const k of p.slice(2)) v = v && typeof v === 'object' ? v[k] : undefined;
      if (typeof v === 'string') return resolveString(model, v, null, depth + 1);
    }
    return whole;
  });
}

// The instances of a block: [{key, value}] for a for_each over a literal local map or over another resource
// with a resolvable for_each; [null] for a single instance. null when the for_each cannot be resolved.
function instances(model, block, seen = 0) {
  if (!block || block.for_each === undefined) return [null];
  const m = /^\$\{\s*([\w.]+)\s*\}$/.exec(typeof block.for_each === 'string' ? block.for_each : '');
  if (!m || seen > 4) return null;
  const p = m[1].split('.');
  if (p[0] === 'local' && p.length === 2) {
    const v = model.locals[p[1]];
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v).map(([key, value]) => ({ key, value }));
    return null;
  }
  if (p.length === 2 && model.resource(p[0], p[1])) {
    const inner = instances(model, model.resource(p[0], p[1]), seen + 1);
    return inner && inner[0] ? inner.map((i) => ({ key: i.key, value: `${p[0]}.${p[1]}["${i.key}"]` })) : null;
  }
  return null;
}

// The keys of `address` (e.g. "aws_s3_bucket.this") that `text` designates, given the enclosing `each`:
// "${aws_s3_bucket.this["raw"].arn}" → ["raw"]; "${each.value.id}" inside for_each = aws_s3_bucket.this → [each.key].
function designatedKeys(text, address, each) {
  if (typeof text !== 'string') return [];
  const keys = [];
  const re = new RegExp(`${address.replace(/\./g, '\\.')}\\[\\s*"([^"]+)"\\s*\\]`, 'g');
  let m;
  while ((m = re.exec(text)) !== null) keys.push(m[1]);
  if (each && typeof each.value === 'string' && each.value.startsWith(`${address}[`) && /\$\{\s*each\.value\b/.test(text)) {
    keys.push(each.key);
  }
  if (each && new RegExp(`${address.replace(/\./g, '\\.')}\\[\\s*each\\.key\\s*\\]`).test(text)) keys.push(each.key);
  return keys;
}

// First element of hcl2json's block lists, following a dotted path: dig(block, 'a.b') → block.a[0].b
function dig(value, dotted) {
  let v = value;
  for (const k of dotted.split('.')) {
    if (Array.isArray(v)) v = v[0];
    if (!v || typeof v !== 'object') return undefined;
    v = v[k];
  }
  // A block that appears once comes back as the block itself; repeated blocks stay a list.
  if (Array.isArray(v) && v.length === 1 && v[0] && typeof v[0] === 'object' && !Array.isArray(v[0])) return v[0];
  return v;
}

function asList(v) { return v === undefined ? [] : Array.isArray(v) ? v : [v]; }

module.exports = {
  loadDirectory, resolveReference, isBuiltinRoot, refParts, mentions, resolveString, instances,
  designatedKeys, dig, asList,
};
