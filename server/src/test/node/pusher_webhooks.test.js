'use strict';
// Pusher webhooks and terminate_connections (docs/pusher.md) with the real npm libraries: pusher-js 8 clients
// make channel_occupied/vacated, member_added/removed and client_event webhooks, which a receiver here accepts
// only if the `pusher` 5 server SDK's webhook validation (X-Pusher-Key, X-Pusher-Signature) passes; and the
// SDK's terminateUserConnections closes the connections of a user signed in with pusher-js's signin(). Two
// clustered nodes: the transitions are the cluster's (a channel is occupied once whichever node its
// subscribers are on) and terminate_connections reaches the user's connections on the other node.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startCluster } = require('./lib/server');
const { waitFor, sleep } = require('./lib/util');
const { serverSdk, authorize, authEndpoint, pusherClient, connected, subscribed } = require('./lib/pusher');

const APP = { id: 'hooks', key: 'hooks-key', secret: 'hooks-secret-0123456789abcdef' };
const nodes = [];
let server; // node A: the SDK's
let sdk;
let auth;
let hookServer;
const hooks = []; // every event of every valid webhook request
const invalid = [];
const clients = [];

function listen(srv) {
  return new Promise((r) => srv.listen(0, '127.0.0.1', r)).then(() => srv.address().port);
}

before(async () => {
  // The application's webhook endpoint: the SDK checks the key and the signature of the raw body.
  hookServer = http.createServer((req, res) => {
    let rawBody = '';
    req.on('data', (c) => { rawBody += c; });
    req.on('end', () => {
      const hook = sdk.webhook({ headers: req.headers, rawBody });
      if (!hook.isValid()) {
        invalid.push(req.headers);
        res.statusCode = 401;
        res.end();
        return;
      }
      assert.ok(hook.getTime() instanceof Date);
      hooks.push(...hook.getEvents());
      res.end('ok');
    });
  });
  const hookPort = await listen(hookServer);
  const conf = `push:
  enabled: false
webhooks:
  poll_interval: 200ms
pusher:
  apps:
    - id: ${APP.id}
      key: ${APP.key}
      secret: ${APP.secret}
      enable_client_messages: true
      webhooks:
        - url: http://127.0.0.1:${hookPort}/pusher/webhooks
          event_types: [channel_occupied, channel_vacated, member_added, member_removed, client_event]
`;
  nodes.push(...await startCluster(2, { conf }));
  [server] = nodes;
  sdk = serverSdk(APP, server);
  // The application's auth endpoints: channel authorization and user authentication (signin).
  auth = await authEndpoint((req, params) => {
    const user = req.headers['x-user'] || 'anon';
    return req.url.startsWith('/pusher/user-auth')
      ? sdk.authenticateUser(params.get('socket_id'), { id: user, name: `User ${user}` })
      : authorize(sdk, params, { user_id: user, user_info: { name: `User ${user}` } });
  });
});

after(async () => {
  for (const c of clients) c.disconnect();
  if (auth) await auth.close();
  if (hookServer) await new Promise((r) => hookServer.close(r));
  await Promise.all(nodes.map((n) => n.kill()));
});

function connect(user, node = nodes[0]) {
  const c = pusherClient(APP, node, {
    channelAuthorization: { endpoint: `${auth.url}/pusher/auth`, transport: 'ajax', headers: { 'X-User': user } },
    userAuthentication: { endpoint: `${auth.url}/pusher/user-auth`, transport: 'ajax', headers: { 'X-User': user } },
  });
  clients.push(c);
  return c;
}

const of = (name, channel) => hooks.filter((e) => e.name === name && e.channel === channel);

async function hooked(name, channel, count = 1) {
  await waitFor(() => of(name, channel).length >= count,
    { message: `${count} ${name} webhook(s) of ${channel}; got ${JSON.stringify(hooks)}` });
  return of(name, channel);
}

test('webhooks in Pusher\'s format, validated by the server SDK, once per cluster-wide transition', { timeout: 180000 /* the first test's time includes before(): the nodes' start */ }, async () => {
  const a = connect('alice');
  const b = connect('bob', nodes[1]);
  await Promise.all([connected(a), connected(b)]);
  await subscribed(a, 'orders');
  const { ch: cha } = await subscribed(a, 'presence-room');
  const { ch: chb } = await subscribed(b, 'presence-room');
  await hooked('channel_occupied', 'orders');
  await hooked('channel_occupied', 'presence-room');
  const added = await hooked('member_added', 'presence-room', 2);
  assert.deepEqual(added.map((e) => e.user_id).sort(), ['alice', 'bob']);

  const typing = new Promise((r) => chb.bind('client-typing', r));
  cha.trigger('client-typing', { typing: true });
  await typing;
  const [ce] = await hooked('client_event', 'presence-room');
  assert.equal(ce.event, 'client-typing');
  assert.deepEqual(JSON.parse(ce.data), { typing: true });
  assert.equal(ce.socket_id, a.connection.socket_id);
  assert.equal(ce.user_id, 'alice');

  a.unsubscribe('orders');
  await hooked('channel_vacated', 'orders');
  a.disconnect();
  const [removed] = await hooked('member_removed', 'presence-room');
  assert.equal(removed.user_id, 'alice');
  b.disconnect();
  await hooked('channel_vacated', 'presence-room');
  await sleep(300);
  assert.equal(of('member_added', 'presence-room').length, 2, 'each member added once');
  assert.equal(of('channel_occupied', 'presence-room').length, 1, 'occupied once, though on two nodes');
  assert.equal(of('channel_vacated', 'presence-room').length, 1, 'vacated once, when the last node lost it');
  assert.deepEqual(invalid, [], 'every request passed the SDK\'s validation');
});

test('terminateUserConnections closes a signed-in user\'s connections on every node, and only theirs', { timeout: 60000 }, async () => {
  const a1 = connect('carol');
  const a2 = connect('carol', nodes[1]);
  const other = connect('dave');
  for (const c of [a1, a2, other]) {
    c.signin();
    await connected(c);
    await c.user.signinDonePromise;
  }
  assert.equal(a1.user.user_data.id, 'carol');
  const states = [];
  a1.connection.bind('state_change', (s) => states.push(s.current));
  const errors = [];
  a1.connection.bind('error', (e) => errors.push(e));
  const res = await sdk.terminateUserConnections('carol');
  assert.equal(res.status, 200);
  await waitFor(() => a1.connection.state !== 'connected' && a2.connection.state !== 'connected',
    { message: 'both of carol\'s connections closed' });
  await sleep(1500);
  // 4009: pusher-js does not reconnect
  assert.notEqual(a1.connection.state, 'connected');
  assert.ok(!states.includes('connected'), `no reconnect: ${states}`);
  assert.equal(other.connection.state, 'connected');
  // an unknown user: nothing to close, still 200
  assert.equal((await sdk.terminateUserConnections('nobody')).status, 200);
});

test('a wrong signin is refused with pusher:error 4009', { timeout: 60000 }, async () => {
  const WebSocket = require('ws');
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/app/${APP.key}?protocol=7`);
  const msgs = [];
  ws.on('message', (m) => msgs.push(JSON.parse(m.toString())));
  await waitFor(() => msgs.length >= 1, { message: 'connection_established' });
  const socketId = JSON.parse(msgs[0].data).socket_id;
  const good = sdk.authenticateUser(socketId, { id: 'eve' });
  ws.send(JSON.stringify({ event: 'pusher:signin', data: { auth: good.auth, user_data: '{"id":"mallory"}' } }));
  await waitFor(() => msgs.some((m) => m.event === 'pusher:error'), { message: 'pusher:error' });
  assert.equal(msgs.find((m) => m.event === 'pusher:error').data.code, 4009);
  ws.send(JSON.stringify({ event: 'pusher:signin', data: good }));
  await waitFor(() => msgs.some((m) => m.event === 'pusher:signin_success'), { message: 'signin_success' });
  ws.close();
});
