'use strict';
// Laravel Echo 2 (npm `laravel-echo`, the pusher connector with pusher-js 8 underneath) against Switchboard's
// Pusher front end (docs/pusher.md#a-laravel-app), configured as a Laravel app's resources/js/echo.js would be:
// Echo.channel(...).listen(...) with and without the App\Events namespace, Echo.private(...) with whispers,
// and Echo.join(...) with here/joining/leaving. The auth endpoint stands in for Laravel's /broadcasting/auth,
// signing with the `pusher` server SDK that Laravel's pusher broadcaster uses; events are sent through it too.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const PusherClient = require('pusher-js');
const { startServer } = require('./lib/server');
const { waitFor, sleep } = require('./lib/util');
const { serverSdk, authorize, authEndpoint } = require('./lib/pusher');

const APP = { id: 'laravel', key: 'laravel-key', secret: 'laravel-secret-0123456789abcdef' };
// laravel-echo 2.5 is an ES module (its CommonJS build cannot be require()d: "type": "module")
let Echo;
let server;
let sdk;
let auth;
const echos = [];

before(async () => {
  Echo = (await import('laravel-echo')).default;
  server = await startServer({
    conf: `pusher:
  apps:
    - {id: ${APP.id}, key: ${APP.key}, secret: ${APP.secret}, enable_client_messages: true}
`,
  });
  // What Laravel's broadcaster does: PUSHER_HOST/PORT/SCHEME in config/broadcasting.php's options.
  sdk = serverSdk(APP, server, { cluster: 'mt1' });
  // Laravel's /broadcasting/auth: the user from the session (a header here), user_info from the channel route;
  // no session (or another path): 403.
  auth = await authEndpoint((req, params) => {
    const user = req.headers['x-user'];
    if (!user || req.url !== '/broadcasting/auth') return null;
    return authorize(sdk, params, { user_id: user, user_info: { id: user, name: `User ${user}` } });
  });
});

after(async () => {
  for (const e of echos) e.disconnect();
  if (auth) await auth.close();
  if (server) await server.kill();
});

/** An Echo as resources/js/echo.js configures it, for the user `user` (its session). */
function echo(user, broadcaster = 'pusher') {
  const e = new Echo({
    broadcaster,
    key: APP.key,
    cluster: 'mt1',
    wsHost: '127.0.0.1',
    wsPort: server.port,
    wssPort: server.port,
    forceTLS: false,
    enabledTransports: ['ws', 'wss'],
    disableStats: true,
    Pusher: PusherClient,
    authEndpoint: `${auth.url}/broadcasting/auth`,
    auth: { headers: { 'X-User': user } },
  });
  echos.push(e);
  return e;
}

const subscribed = (channel) => new Promise((resolve, reject) => {
  channel.subscribed(resolve);
  channel.error((err) => reject(new Error(`subscription error ${JSON.stringify(err)}`)));
});

async function connected(e) {
  await waitFor(() => e.connectionStatus() === 'connected', { message: 'Echo connected' });
  assert.match(e.socketId(), /^\d+\.\d+$/);
}

test('Echo.channel().listen(): App\\Events-namespaced and dot-prefixed event names', { timeout: 180000 /* the first test's time includes before(): the nodes' start */ }, async () => {
  const e = echo('alice');
  await connected(e);
  const got = [];
  const ch = e.channel('orders')
    .listen('OrderShipped', (data) => got.push(['OrderShipped', data]))
    .listen('.order.status', (data) => got.push(['order.status', data]));
  await subscribed(ch);
  // Laravel broadcasts App\Events\OrderShipped under its class name, or under broadcastAs()
  await sdk.trigger('orders', 'App\\Events\\OrderShipped', { order: { id: 7 } });
  await sdk.trigger('orders', 'order.status', { status: 'packed' });
  await waitFor(() => got.length === 2, { message: 'both events' });
  assert.deepEqual(got, [['OrderShipped', { order: { id: 7 } }], ['order.status', { status: 'packed' }]]);
  // an event without the namespace does not reach a namespaced listener
  await sdk.trigger('orders', 'OrderShipped', { order: { id: 8 } });
  await sleep(300);
  assert.equal(got.length, 2);
  e.leave('orders');
});

test('Echo.private(): authorized through the auth endpoint; whispers reach the other side', { timeout: 60000 }, async () => {
  const a = echo('alice');
  const b = echo('bob');
  await Promise.all([connected(a), connected(b)]);
  const got = [];
  const whispers = [];
  const cha = a.private('orders.7').listen('OrderShipped', (d) => got.push(d));
  const chb = b.private('orders.7').listenForWhisper('typing', (d) => whispers.push(d));
  await Promise.all([subscribed(cha), subscribed(chb)]);
  await sdk.trigger('private-orders.7', 'App\\Events\\OrderShipped', { id: 7 });
  await waitFor(() => got.length === 1, { message: 'the private event' });
  assert.deepEqual(got, [{ id: 7 }]);
  cha.whisper('typing', { name: 'alice' });
  await waitFor(() => whispers.length === 1, { message: 'the whisper' });
  assert.deepEqual(whispers, [{ name: 'alice' }]);
  // no session: the auth endpoint refuses, Echo reports the error
  const anon = echo('');
  await connected(anon);
  const refused = await new Promise((resolve) => anon.private('orders.7').error(resolve));
  assert.equal(refused.status, 403);
});

test('Echo.join(): here, joining and leaving', { timeout: 60000 }, async () => {
  const a = echo('alice');
  const b = echo('bob');
  await Promise.all([connected(a), connected(b)]);
  const joined = [];
  const left = [];
  const here = await new Promise((resolve) => {
    a.join('lobby').here(resolve).joining((u) => joined.push(u)).leaving((u) => left.push(u));
  });
  assert.deepEqual(here, [{ id: 'alice', name: 'User alice' }]);
  const bHere = await new Promise((resolve) => b.join('lobby').here(resolve));
  assert.deepEqual(bHere.map((u) => u.id).sort(), ['alice', 'bob']);
  await waitFor(() => joined.length === 1, { message: 'joining' });
  assert.deepEqual(joined, [{ id: 'bob', name: 'User bob' }]);
  b.leave('lobby');
  await waitFor(() => left.length === 1, { message: 'leaving' });
  assert.deepEqual(left, [{ id: 'bob', name: 'User bob' }]);
  const users = await (await sdk.get({ path: '/channels/presence-lobby/users' })).json();
  assert.deepEqual(users, { users: [{ id: 'alice' }] });
});

test('the reverb broadcaster settings (Laravel Reverb\'s Echo config) work too', { timeout: 60000 }, async () => {
  const e = echo('carol', 'reverb');
  await connected(e);
  const got = [];
  const ch = e.channel('news').listen('.headline', (d) => got.push(d));
  await subscribed(ch);
  await sdk.trigger('news', 'headline', { title: 'Hi' });
  await waitFor(() => got.length === 1, { message: 'the event' });
  assert.deepEqual(got, [{ title: 'Hi' }]);
});
