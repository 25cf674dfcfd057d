'use strict';
// Issue 15: the official centrifuge SDK, connecting without a token, is authenticated by the connect proxy
// from the cookie of its WebSocket upgrade (forwarded to the backend), then refreshed server-side through
// the refresh proxy before its expire_at, and stays connected. Without the cookie, the backend's error
// reaches the SDK. The backend is a plain node:http server written against Centrifugo's proxy docs.
// Run: SWITCHBOARD_JAR=/abs/server/target/switchboard-server.jar node --test proxy.test.js
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const WebSocket = require('ws');
const { Centrifuge } = require('centrifuge');
const { startServer } = require('./lib/server');
const { sleep, once, waitFor } = require('./lib/util');

let server;
let backend;
const seen = []; // { path, body, cookie }
const clients = new Set();

function startBackend() {
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const json = JSON.parse(body);
      seen.push({ path: req.url, body: json, cookie: req.headers.cookie });
      const now = Math.floor(Date.now() / 1000);
      let reply;
      if (req.url === '/connect') {
        reply = req.headers.cookie === 'session=alice'
          ? { result: { user: 'alice', expire_at: now + 2, info: { name: 'Alice' } } }
          : { error: { code: 1401, message: 'who are you' } };
      } else if (req.url === '/refresh') {
        reply = { result: { expire_at: now + 3600 } };
      } else {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

/** The SDK's WebSocket, with a Cookie on the upgrade request as a browser would send it. */
function withCookie(cookie) {
  return class extends WebSocket {
    constructor(url, protocols) {
      super(url, protocols, cookie ? { headers: { Cookie: cookie } } : {});
    }
  };
}

function client(cookie) {
  const c = new Centrifuge(server.wsUrl, {
    websocket: withCookie(cookie),
    minReconnectDelay: 100,
    maxReconnectDelay: 1000,
    timeout: 5000,
  });
  clients.add(c);
  return c;
}

before(async () => {
  backend = await startBackend();
  const base = `http://127.0.0.1:${backend.address().port}`;
  server = await startServer({
    conf: [
      'proxies:',
      `  - {name: connect, endpoint: "${base}/connect", timeout: 1s, http_headers: [Cookie]}`,
      `  - {name: refresh, endpoint: "${base}/refresh", timeout: 1s, http_headers: [Cookie]}`,
      'connect_proxy: connect',
      'refresh_proxy: refresh',
      '',
    ].join('\n'),
  });
});

after(async () => {
  for (const c of clients) c.disconnect();
  if (server) await server.kill();
  if (backend) await new Promise((r) => backend.close(r));
});

test('a tokenless SDK connection is authenticated by its cookie through the connect proxy, then refreshed', async () => {
  const c = client('session=alice');
  const connected = once(c, 'connected');
  let disconnects = 0;
  c.on('disconnected', () => { disconnects += 1; });
  c.connect();
  const ctx = await connected;
  assert.ok(ctx.client, 'a client id');
  const connect = seen.find((s) => s.path === '/connect' && s.body.client === ctx.client);
  assert.ok(connect, 'the backend was asked about this client');
  assert.equal(connect.cookie, 'session=alice', 'the Cookie header was forwarded');
  assert.equal(connect.body.transport, 'websocket');
  assert.equal(connect.body.protocol, 'json');

  // expire_at was now + 2 s: the node asks the refresh proxy, and the connection goes on past it.
  const refresh = await waitFor(() => seen.find((s) => s.path === '/refresh' && s.body.client === ctx.client),
    { timeoutMs: 6000, message: 'a refresh request' });
  assert.equal(refresh.body.user, 'alice');
  assert.equal(refresh.cookie, 'session=alice');
  await sleep(1500);
  assert.equal(c.state, 'connected');
  assert.equal(disconnects, 0);
});

test('without the cookie the backend\'s error reaches the SDK and it stays disconnected', async () => {
  const c = client(null);
  const disconnected = once(c, 'disconnected');
  c.connect();
  const ctx = await disconnected;
  assert.equal(ctx.code, 1401);
  assert.equal(ctx.reason, 'who are you');
});
