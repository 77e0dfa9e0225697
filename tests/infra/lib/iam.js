// IAM least-privilege checks over every aws_iam_policy_document:
//   - Allow statements: no "*" action, no service-wide "svc:*" or other wildcard action, no NotAction/NotResource,
//     no "*" resource unless every action of the statement is listed in the exceptions file with a reason, no
//     literal ARN patterns with wildcards (resources must be built from references to our own resources).
//   - Trust policies (used as assume_role_policy): only sts:AssumeRole, by a named service principal.
//   - Deny statements may use wildcards: they only take permissions away (e.g. the TLS-only bucket policy).
// Policies must come from aws_iam_policy_document (no jsonencode/heredoc JSON, no managed policy attachments),
// so that everything granted is visible here. One role per function or service.
'use strict';

const { asList, mentions } = require('./hcl_model');

const POLICY_ATTACHMENTS = ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment'];
const POLICY_HOLDERS = ['aws_iam_role_policy', 'aws_iam_policy', 'aws_s3_bucket_policy', 'aws_kinesis_resource_policy'];

function documentOf(text) {
  const m = /data\.aws_iam_policy_document\.(\w+)/.exec(typeof text === 'string' ? text : '');
  return m ? m[1] : null;
}

function checkStatement(docName, st, index, isTrust, exceptions, report, usedExceptions) {
  const where = `data.aws_iam_policy_document.${docName} statement ${st.sid ? `"${st.sid}"` : `#${index + 1}`}`;
  const effect = st.effect || 'Allow';
  const actions = asList(st.actions);
  const resources = asList(st.resources);
  const principals = asList(st.principals);
  if (effect === 'Deny') return;
  if (st.not_actions !== undefined) report.error('iam', `${where}: NotAction in an Allow statement grants everything else`);
  if (st.not_resources !== undefined) report.error('iam', `${where}: NotResource in an Allow statement`);
  if (actions.length === 0) report.error('iam', `${where}: Allow statement without actions`);

  for (const a of actions) {
    if (a === '*') report.error('iam', `${where}: "*" action`);
    else if (/:\*$/.test(a)) report.error('iam', `${where}: service-wide wildcard action "${a}"`);
    else if (a.includes('*')) report.error('iam', `${where}: wildcard action "${a}"`);
  }

  if (isTrust) {
    for (const a of actions) if (a !== 'sts:AssumeRole') report.error('iam', `${where}: trust policy allows ${a}`);
    if (principals.length === 0) report.error('iam', `${where}: trust policy without a principal`);
    for (const p of principals) {
      if (p.type !== 'Service') report.error('iam', `${where}: trust policy principal type ${p.type} (expected Service)`);
      for (const id of asList(p.identifiers)) {
        if (id === '*' || !/^[a-z0-9.-]+\.amazonaws\.com$/.test(id)) report.error('iam', `${where}: trust principal "${id}" is not a named service`);
      }
    }
    return;
  }

  for (const p of principals) {
    if (asList(p.identifiers).includes('*')) report.error('iam', `${where}: Allow to principal "*"`);
  }
  if (resources.length === 0) report.error('iam', `${where}: Allow statement without resources`);
  for (const r of resources) {
    if (r === '*') {
      const unexcused = actions.filter((a) => !Object.prototype.hasOwnProperty.call(exceptions, a));
      if (unexcused.length > 0) {
        report.error('iam', `${where}: "*" resource for ${unexcused.join(', ')} (scope it, or list the action with a reason in the exceptions file if AWS supports no resource-level permission)`);
      } else {
        actions.forEach((a) => usedExceptions.set(a, exceptions[a]));
      }
    } else if (!r.includes('${') && r.includes('*')) {
      report.error('iam', `${where}: literal wildcard resource "${r}" (build ARNs from references to the resources themselves)`);
    }
  }
}

function checkIam(model, report, exceptions) {
  const usedExceptions = new Map();
  const trustDocs = new Set();
  for (const [, role] of model.resourcesOfType('aws_iam_role')) {
    const d = documentOf(role.assume_role_policy);
    if (d) trustDocs.add(d);
    else report.error('iam', `aws_iam_role: assume_role_policy must come from an aws_iam_policy_document`);
    if (role.managed_policy_arns !== undefined) report.error('iam', 'aws_iam_role: managed_policy_arns grants policies this check cannot see');
    if (role.inline_policy !== undefined) report.error('iam', 'aws_iam_role: use aws_iam_role_policy with a policy document');
  }

  for (const [docName, doc] of model.dataOfType('aws_iam_policy_document')) {
    if (doc.source_policy_documents !== undefined || doc.override_policy_documents !== undefined) {
      report.error('iam', `data.aws_iam_policy_document.${docName}: source/override documents are not checked; write statements inline`);
    }
    asList(doc.statement).forEach((st, i) => checkStatement(docName, st, i, trustDocs.has(docName), exceptions, report, usedExceptions));
  }

  for (const type of POLICY_HOLDERS) {
    for (const [name, holder] of model.resourcesOfType(type)) {
      if (!documentOf(holder.policy)) report.error('iam', `${type}.${name}: policy must come from an aws_iam_policy_document`);
    }
  }
  for (const type of POLICY_ATTACHMENTS) {
    for (const [name] of model.resourcesOfType(type)) {
      report.error('iam', `${type}.${name}: attached managed policies are not scoped to our resources`);
    }
  }

  checkOneRolePerPrincipal(model, report);
  for (const [a, reason] of usedExceptions) report.note(`IAM "*" resource allowed for ${a}: ${reason}`);
}

// Every role is used by exactly one function or service, and every function/service has its own role.
function checkOneRolePerPrincipal(model, report) {
  const roles = model.resourcesOfType('aws_iam_role').map(([n]) => n);
  const users = new Map(roles.map((r) => [r, new Set()]));
  const consumers = [
    ...model.resourcesOfType('aws_lambda_function').map(([n, b]) => [`aws_lambda_function.${n}`, [b.role]]),
    ...model.resourcesOfType('aws_kinesis_firehose_delivery_stream').map(([n, b]) => [
      `aws_kinesis_firehose_delivery_stream.${n}`, JSON.stringify(b).match(/aws_iam_role\.\w+/g) || []]),
  ];
  for (const [consumer, texts] of consumers) {
    const mine = new Set();
    for (const t of texts) for (const r of roles) if (mentions(t, `aws_iam_role.${r}`)) mine.add(r);
    if (mine.size !== 1) report.error('iam', `${consumer}: expected exactly one role, found ${mine.size}`);
    for (const r of mine) users.get(r).add(consumer);
  }
  for (const [r, u] of users) {
    if (u.size > 1) report.error('iam', `aws_iam_role.${r} is shared by ${[...u].join(', ')} (one role per function/service)`);
    if (u.size === 0) report.error('iam', `aws_iam_role.${r} is used by no function or service`);
  }
}

// Statements (Allow, permission policies) attached to a role through aws_iam_role_policy.
function allowStatementsOfRole(model, roleName) {
  const out = [];
  for (const [, rp] of model.resourcesOfType('aws_iam_role_policy')) {
    if (!mentions(rp.role, `aws_iam_role.${roleName}`)) continue;
    const doc = model.dataSource('aws_iam_policy_document', documentOf(rp.policy));
    for (const st of asList(doc && doc.statement)) if ((st.effect || 'Allow') === 'Allow') out.push(st);
  }
  return out;
}

module.exports = { checkIam, allowStatementsOfRole, documentOf };
