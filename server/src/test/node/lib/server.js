'use strict';
// Starts the Switchboard server jar as a child process for end-to-end tests.
//
//   const { startServer } = require('./lib/server');
//   const server = await startServer();          // free port, fresh temp data dir, waits for /health/ready
//   await startServer({ conf: 'client:\n  expired_close_delay: 2s\n' })   // extra YAML, passed as --conf
//   await startServer({ env: { SWITCHBOARD_CLUSTER_MEMBERS: '…' } })      // extra environment (clustering)
//   server.url / server.wsUrl / server.port      // http://127.0.0.1:PORT, ws://127.0.0.1:PORT/connection/websocket
//   await server.api('publish', {...})           // POST /api/<method> with the API key; returns `result`
//   server.token('alice', { ttl: 60 })           // HS256 connection token signed with the test secret
//   await server.stop(); await server.start();   // SIGTERM, then start again on the SAME port, data dir and DB
//   await server.restart();                      // stop() + start()
//   await server.kill();                         // stop for good and remove the temp data dir
//
// Environment: SWITCHBOARD_JAR (required), JAVA_BIN (default `java`), SWITCHBOARD_TEST_PG_URL (optional;
// without it the server runs its embedded PostgreSQL inside the temp data dir). SWITCHBOARD_TEST_VERBOSE=1
// echoes the server's output; otherwise its last lines are printed only when startup fails.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { mintToken } = require('./token');

const HMAC_SECRET = 'switchboard-e2e-secret-0123456789abcdef0123456789';
const API_KEY = 'switchboard-e2e-api-key';
const READY_TIMEOUT_MS = Number(process.env.SWITCHBOARD_TEST_READY_TIMEOUT_MS || 120000);
const STOP_TIMEOUT_MS = 20000;

// Every child this module started, so that an abrupt exit of the test process still kills them.
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => { process.exit(130); });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class TestServer {
  constructor(port, dataDir, confFile, extraEnv = {}) {
    this.extraEnv = extraEnv;
    this.port = port;
    this.dataDir = dataDir;
    this.confFile = confFile;
    this.url = `http://127.0.0.1:${port}`;
    this.wsUrl = `ws://127.0.0.1:${port}/connection/websocket`;
    this.secret = HMAC_SECRET;
    this.apiKey = API_KEY;
    this.child = null;
    this.logTail = [];
    this.starts = 0;
  }

  env() {
    const env = {
      ...process.env,
      SWITCHBOARD_HTTP_PORT: String(this.port),
      SWITCHBOARD_DATA_DIR: this.dataDir,
      SWITCHBOARD_TOKEN_HMAC_SECRET: HMAC_SECRET,
      SWITCHBOARD_API_KEY: API_KEY,
      SWITCHBOARD_DEMO: 'true',
      SWITCHBOARD_ALLOWED_ORIGINS: `http://127.0.0.1:${this.port},http://localhost:${this.port}`,
    };
    if (process.env.SWITCHBOARD_TEST_PG_URL) env.SWITCHBOARD_PG_URL = process.env.SWITCHBOARD_TEST_PG_URL;
    return { ...env, ...this.extraEnv };
  }

  log(line) {
    // SWITCHBOARD_TEST_LOG_DIR keeps every server line in a file, so CI can scan them (blocked threads).
    if (process.env.SWITCHBOARD_TEST_LOG_DIR) {
      fs.appendFileSync(path.join(process.env.SWITCHBOARD_TEST_LOG_DIR, `e2e-server-${this.port}.log`), `${line}\n`);
    }
    this.logTail.push(line);
    if (this.logTail.length > 200) this.logTail.shift();
    if (process.env.SWITCHBOARD_TEST_VERBOSE) process.stderr.write(`[server:${this.port}] ${line}\n`);
  }

  async start() {
    if (this.child) throw new Error('server already running');
    const jar = process.env.SWITCHBOARD_JAR;
    if (!jar) throw new Error('SWITCHBOARD_JAR is not set (path of server/target/switchboard-server.jar)');
    if (!fs.existsSync(jar)) throw new Error(`SWITCHBOARD_JAR does not exist: ${jar}`);
    const java = process.env.JAVA_BIN || 'java';
    const args = ['-jar', jar];
    if (this.confFile) args.push('--conf', this.confFile);
    const child = spawn(java, args, {
      env: this.env(),
      cwd: this.dataDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    live.add(child);
    const exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.log(`-- exited code=${code} signal=${signal}`);
        resolve({ code, signal });
      });
    });
    child.exited = exited;
    child.once('error', (err) => this.log(`-- spawn error: ${err.message}`));
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          this.log(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
    }
    try {
      await this.waitReady(child);
    } catch (err) {
      const tail = this.logTail.slice(-60).join('\n');
      await this.stop().catch(() => {});
      err.message += `\n--- last server output ---\n${tail}`;
      throw err;
    }
    return this;
  }

  async waitReady(child) {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let exitedEarly = null;
    child.exited.then((r) => { exitedEarly = r; });
    while (Date.now() < deadline) {
      if (exitedEarly) throw new Error(`server exited before ready (code=${exitedEarly.code}, signal=${exitedEarly.signal})`);
      try {
        const res = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch { /* not listening yet */ }
      await sleep(250);
    }
    throw new Error(`server not ready within ${READY_TIMEOUT_MS} ms`);
  }

  /** SIGTERM and wait for the exit (SIGKILL after a grace period). */
  async stop() {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await child.exited;
      clearTimeout(timer);
    }
  }

  async restart() {
    await this.stop();
    await this.start();
  }

  /** Stops the server for good and removes its temp data dir. Safe to call more than once. */
  async kill() {
    await this.stop();
    try { fs.rmSync(this.dataDir, { recursive: true, force: true }); } catch { /* best effort */ }
  }

  token(user, opts) {
    return mintToken(user, HMAC_SECRET, opts);
  }

  /** Calls the server HTTP API; resolves with `result`, rejects with the API error (err.code). */
  async api(method, body = {}) {
    const res = await fetch(`${this.url}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': API_KEY },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`API ${method}: HTTP ${res.status} ${text}`);
    const json = JSON.parse(text);
    if (json.error) throw Object.assign(new Error(`API ${method}: ${json.error.code} ${json.error.message}`), json.error);
    return json.result ?? {};
  }
}

/**
 * Starts a server on a free port with a fresh temp data dir; kill() it in an after() hook.
 * opts.conf: YAML text merged over the built-in defaults (written to the data dir, passed as --conf).
 */
async function startServer(opts = {}) {
  const port = opts.port || await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-e2e-'));
  let confFile = null;
  if (opts.conf) {
    confFile = path.join(dataDir, 'e2e.yaml');
    fs.writeFileSync(confFile, opts.conf);
  }
  const server = new TestServer(port, dataDir, confFile, opts.env || {});
  try {
    await server.start();
  } catch (err) {
    await server.kill();
    throw err;
  }
  return server;
}

/**
 * Starts `count` clustered nodes sharing SWITCHBOARD_TEST_PG_URL's database (required): Hazelcast members on free
 * ports, an event bus port each, demo mode off. They start together, since each waits for the others to form the
 * cluster. opts.conf: as for startServer; opts.env(i, port): node i's own environment (port: its HTTP port).
 */
async function startCluster(count, opts = {}) {
  if (!process.env.SWITCHBOARD_TEST_PG_URL) {
    throw new Error('clustered nodes need an external PostgreSQL (SWITCHBOARD_TEST_PG_URL)');
  }
  const hz = [];
  for (let i = 0; i < count; i++) hz.push(await freePort());
  const members = hz.map((p) => `127.0.0.1:${p}`).join(',');
  const own = opts.env || (() => ({}));
  return Promise.all(hz.map(async (hzPort, i) => {
    const port = await freePort();
    return startServer({
      port,
      conf: opts.conf,
      env: {
        SWITCHBOARD_CLUSTER_MEMBERS: members,
        SWITCHBOARD_CLUSTER_HOST: '127.0.0.1',
        SWITCHBOARD_CLUSTER_PORT: String(hzPort),
        SWITCHBOARD_EVENTBUS_PORT: String(await freePort()),
        SWITCHBOARD_DEMO: 'false', // (demo mode on a cluster would want shared VAPID keys)
        ...own(i, port),
      },
    });
  }));
}

module.exports = { startServer, startCluster, freePort, sleep, HMAC_SECRET, API_KEY };
