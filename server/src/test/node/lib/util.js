'use strict';
// Small async helpers shared by the suites.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the first event's argument; rejects after timeoutMs. */
function once(emitter, event, timeoutMs = 10000, filter = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, onEvent);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for '${event}'`));
    }, timeoutMs);
    function onEvent(ctx) {
      if (!filter(ctx)) return;
      clearTimeout(timer);
      emitter.off(event, onEvent);
      resolve(ctx);
    }
    emitter.on(event, onEvent);
  });
}

/** Collects every event's argument into an array (live). */
function collect(emitter, event) {
  const seen = [];
  emitter.on(event, (ctx) => seen.push(ctx));
  return seen;
}

/** Polls until predicate() is truthy; the message explains a timeout. */
async function waitFor(predicate, { timeoutMs = 10000, intervalMs = 20, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
    await sleep(intervalMs);
  }
}

let counter = 0;
/** A channel-safe unique suffix. */
function uniq(prefix = 'x') {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

module.exports = { sleep, once, collect, waitFor, uniq };
