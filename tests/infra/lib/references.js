// Reference checks: every var.x, local.x, <type>.<name>, data.<type>.<name> and module.x used anywhere resolves
// to a declaration; each.* and count.* appear only in blocks that have for_each / count; nothing declared is
// left unused (an unused variable or data source is usually a reference someone forgot to update).
'use strict';

const { resolveReference, isBuiltinRoot, refParts } = require('./hcl_model');

function checkReferences(model, report) {
  const used = new Set();
  for (const r of model.references) {
    const parts = refParts(r.ref);
    const root = parts[0] && parts[0].name;
    if (!root) continue;
    if (r.iterators.has(root)) continue;
    if (isBuiltinRoot(root)) {
      if (root === 'each' && (r.block.for_each === undefined || r.from.startsWith('output.'))) {
        report.error('references', `${r.file}: ${r.from}: ${r.ref} used in a block without for_each`);
      }
      if (root === 'count' && r.block.count === undefined) {
        report.error('references', `${r.file}: ${r.from}: ${r.ref} used in a block without count`);
      }
      continue;
    }
    const target = resolveReference(model, r.ref);
    if (!target) {
      report.error('references',
        `${r.file}: ${r.from}: reference ${r.ref} does not resolve to a declared variable, local, resource, data source or module`);
      continue;
    }
    if (target.address === r.from) {
      report.error('references', `${r.file}: ${r.from}: refers to itself (${r.ref})`);
    }
    used.add(target.address);
  }

  for (const name of Object.keys(model.variables)) {
    if (!used.has(`var.${name}`)) report.error('references', `variable "${name}" is declared but never used`);
  }
  for (const name of Object.keys(model.locals)) {
    if (!used.has(`local.${name}`)) report.error('references', `local "${name}" is declared but never used`);
  }
  for (const [type, byName] of Object.entries(model.data)) {
    for (const name of Object.keys(byName)) {
      if (!used.has(`data.${type}.${name}`)) report.error('references', `data.${type}.${name} is declared but never used`);
    }
  }
  for (const [name, v] of Object.entries(model.variables)) {
    if (!v.description) report.error('references', `variable "${name}" has no description`);
    if (!v.type) report.error('references', `variable "${name}" has no type`);
  }
}

module.exports = { checkReferences };
