#!/usr/bin/env node
// Validates rendered Kubernetes manifests against the Kubernetes API schemas (kubernetes-models).
//   node validate.js FILE...     (each FILE holds one or more YAML documents, e.g. `kubectl kustomize` output)
// Prints one line per object and exits 1 when any object fails, is of an unknown kind, or a file holds none.
// Note: these schemas reject wrong types, missing required fields and bad enum values, but not unknown fields;
// K8sManifestTest checks the fields that matter to Switchboard by name.
'use strict';

const fs = require('fs');
const YAML = require('yaml');

function modelFor(apiVersion, kind) {
  // kubernetes-models lays out one module per kind: kubernetes-models/<group>/<version>/<Kind>, core as v1/<Kind>.
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion || '') || !/^[A-Z][A-Za-z0-9]*$/.test(kind || '')) {
    return null;
  }
  try {
    return require(`kubernetes-models/${apiVersion}/${kind}`)[kind];
  } catch (e) {
    if (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return null;
    throw e;
  }
}

// kustomize's secretGenerator wraps long base64 values over several lines. The API server decodes base64 with
// Go's decoder, which skips line breaks, but the schema's "byte" format does not: drop them first, as it would.
function unwrapBase64(obj) {
  const fields = obj.kind === 'Secret' ? ['data'] : obj.kind === 'ConfigMap' ? ['binaryData'] : [];
  for (const field of fields) {
    const map = obj[field];
    if (!map || typeof map !== 'object') continue;
    for (const key of Object.keys(map)) {
      if (typeof map[key] === 'string') map[key] = map[key].replace(/[\r\n]/g, '');
    }
  }
  return obj;
}

function describeErrors(e) {
  if (Array.isArray(e.errors) && e.errors.length) {
    return e.errors.map((x) => `${x.instancePath || '/'} ${x.message}${x.params ? ' ' + JSON.stringify(x.params) : ''}`);
  }
  return [e.message];
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.js FILE...');
  process.exit(2);
}
let passed = 0;
let failed = 0;
for (const file of files) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  let objects = 0;
  for (const doc of docs) {
    if (doc.errors.length) {
      failed++;
      console.log(`FAIL ${file}: YAML error: ${doc.errors[0].message}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    objects++;
    const name = `${file}: ${obj.kind}/${obj.metadata && obj.metadata.name} (${obj.apiVersion})`;
    const Model = modelFor(obj.apiVersion, obj.kind);
    if (!Model) {
      failed++;
      console.log(`FAIL ${name}: no schema for this apiVersion and kind`);
      continue;
    }
    try {
      new Model(unwrapBase64(obj)).validate();
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}`);
      for (const line of describeErrors(e)) console.log(`       ${line}`);
    }
  }
  if (objects === 0) {
    failed++;
    console.log(`FAIL ${file}: no Kubernetes objects`);
  }
}
console.log(`${passed} objects valid, ${failed} invalid`);
process.exit(failed === 0 ? 0 : 1);
