'use strict';
// A TCP pass-through with a gate, so a test can decide exactly when a client may reconnect.
const net = require('node:net');

async function startProxy(targetPort) {
  let open = true;
  const pairs = new Set();
  const srv = net.createServer((down) => {
    if (!open) { down.destroy(); return; }
    const up = net.connect(targetPort, '127.0.0.1');
    const pair = [down, up];
    pairs.add(pair);
    const drop = () => { pairs.delete(pair); down.destroy(); up.destroy(); };
    down.on('error', drop).on('close', drop);
    up.on('error', drop).on('close', drop);
    down.pipe(up);
    up.pipe(down);
  });
  await new Promise((resolve, reject) => srv.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = srv.address().port;
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/connection/websocket`,
    /** Refuse new connections and cut the current ones. */
    block() { open = false; for (const [d, u] of pairs) { d.destroy(); u.destroy(); } pairs.clear(); },
    /** Refuse new connections; keep the current ones. */
    refuse() { open = false; },
    allow() { open = true; },
    close() { this.block(); return new Promise((r) => srv.close(() => r())); },
  };
}

module.exports = { startProxy };
