'use strict';
// The README's Node client snippet ("Connect a client"), taken from README.md between the markers
// <!-- snippet:node-client ... --> and <!-- /snippet:node-client -->, and run as written with this node binary
// against a demo-mode server. Only its port changes (8000 -> the test server's). It must print the message it
// publishes and exit by itself.
// Run: SWITCHBOARD_JAR=/abs/server/target/switchboard-server.jar [SWITCHBOARD_TEST_PG_URL=postgresql://...] \
//      node --test readme.test.js
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startServer } = require('./lib/server');

const README = path.resolve(__dirname, '../../../../README.md');
const RUN_TIMEOUT_MS = 30000;

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  if (server) await server.kill();
});

/** The fenced code block between `<!-- snippet:NAME ... -->` and `<!-- /snippet:NAME -->`, de-indented. */
function snippet(markdown, name) {
  const start = markdown.indexOf(`<!-- snippet:${name}`);
  const end = markdown.indexOf(`<!-- /snippet:${name} -->`);
  assert.ok(start >= 0 && end > start, `README.md has the markers of snippet ${name}`);
  const lines = markdown.slice(start, end).split('\n');
  const open = lines.findIndex((l) => /^\s*```js\s*$/.test(l));
  const close = lines.findIndex((l, i) => i > open && /^\s*```\s*$/.test(l));
  assert.ok(open >= 0 && close > open, `snippet ${name} is one fenced js block`);
  const indent = lines[open].match(/^\s*/)[0];
  return lines.slice(open + 1, close)
    .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
    .join('\n') + '\n';
}

function runNode(file) {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { cwd: __dirname, timeout: RUN_TIMEOUT_MS }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? err.signal) : 0, killed: !!(err && err.killed), stdout, stderr });
    });
  });
}

test('the README Node client snippet runs as pasted: it prints the message it publishes, then exits', async () => {
  const code = snippet(fs.readFileSync(README, 'utf8'), 'node-client');
  assert.equal(code.match(/localhost:8000/g)?.length, 2, 'the snippet talks to localhost:8000 (token, WebSocket)');
  // Inside this directory, so that require('centrifuge') and require('ws') find this suite's node_modules.
  const file = path.join(__dirname, `.readme-snippet-${process.pid}.js`);
  fs.writeFileSync(file, code.replaceAll('localhost:8000', `localhost:${server.port}`));
  try {
    const r = await runNode(file);
    const output = `exit ${r.code}\n--- stdout ---\n${r.stdout}--- stderr ---\n${r.stderr}`;
    assert.equal(r.killed, false, `the snippet exits by itself within ${RUN_TIMEOUT_MS} ms\n${output}`);
    assert.equal(r.code, 0, output);
    assert.equal(r.stdout, "{ text: 'hello' }\n", output);
  } finally {
    fs.rmSync(file, { force: true });
  }
});
