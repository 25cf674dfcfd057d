'use strict';
// What the Pusher suites share: the `pusher` server SDK pointed at a node, the application's auth endpoint (as a
// Laravel app serves /broadcasting/auth), and pusher-js clients with their connected/subscribed promises.
//
//   const sdk = serverSdk(APP, server);                          // trigger, get, authorizeChannel...
//   const auth = await authEndpoint((req, params) => authorize(sdk, params, { user_id: 'u' }));
//   auth.url / await auth.close()                                // http://127.0.0.1:PORT (any path)
//   const c = pusherClient(APP, server, { channelAuthorization: { endpoint: `${auth.url}/pusher/auth`, ... } });
//   await connected(c); const { ch, data } = await subscribed(c, 'presence-x');
const http = require('node:http');
const PusherClient = require('pusher-js');
const PusherServer = require('pusher');

/** The `pusher` server SDK for `app` ({ id, key, secret }), pointed at `node` (a started server). */
function serverSdk(app, node, options = {}) {
  return new PusherServer({ appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1',
    port: String(node.port), useTLS: false, ...options });
}

/** A subscription's auth as the app signs it: a presence channel's with `member` ({ user_id, user_info }). */
function authorize(signer, params, member) {
  const channel = params.get('channel_name');
  const socketId = params.get('socket_id');
  return channel.startsWith('presence-')
    ? signer.authorizeChannel(socketId, channel, member)
    : signer.authorizeChannel(socketId, channel);
}

/**
 * An auth endpoint on a free port: `sign(req, params)` (params: the form pusher-js posts) answers the JSON, or
 * null for a 403. Resolves with { url, close() }.
 */
async function authEndpoint(sign) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const auth = sign(req, new URLSearchParams(body));
      if (!auth) {
        res.statusCode = 403;
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(auth));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** A pusher-js client of `app` on `node`, WebSocket only, no stats; `options` adds auth endpoints and the like. */
function pusherClient(app, node, options = {}) {
  return new PusherClient(app.key, {
    cluster: 'local', wsHost: '127.0.0.1', wsPort: node.port, forceTLS: false, enabledTransports: ['ws'],
    disableStats: true, ...options,
  });
}

/** Resolves once the client is connected; rejects if its connection failed. */
function connected(c) {
  return new Promise((resolve, reject) => {
    if (c.connection.state === 'connected') { resolve(); return; }
    c.connection.bind('connected', resolve);
    c.connection.bind('failed', () => reject(new Error('connection failed')));
  });
}

/** Subscribes; resolves with the channel and the subscription_succeeded data (a presence channel's members). */
function subscribed(c, name) {
  const ch = c.subscribe(name);
  return new Promise((resolve, reject) => {
    ch.bind('pusher:subscription_succeeded', (data) => resolve({ ch, data }));
    ch.bind('pusher:subscription_error', (e) => reject(new Error(`subscription_error ${JSON.stringify(e)}`)));
  });
}

module.exports = { serverSdk, authorize, authEndpoint, pusherClient, connected, subscribed };
