// Switchboard chat page. Plain JavaScript, no build step, no dependencies.
//
// Part 1 is a small client for the Centrifugo JSON protocol (see docs/notes on the client protocol):
// newline-batched JSON frames over one WebSocket, commands with ids, server pings answered with `{}`,
// reconnect with backoff and jitter, token refresh, and resubscribe with recovery (offset + epoch).
// Part 2 is the chat UI on top of it. User content is only ever rendered with textContent.
'use strict';

(() => {
  // ---------------------------------------------------------------------------------------------
  // Part 1: protocol client
  // ---------------------------------------------------------------------------------------------

  const COMMAND_TIMEOUT_MS = 10000;
  const MIN_BACKOFF_MS = 500;
  const MAX_BACKOFF_MS = 20000;
  const MAX_SERVER_PING_DELAY_MS = 10000;

  /** Equal-jitter exponential backoff: half fixed, half random. */
  function backoff(attempt) {
    const ceiling = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.min(attempt, 16));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /** Close codes after which reconnecting is pointless (protocol rule: 3500-3999, 4500-4999, 1009). */
  function isTerminalClose(code, reason) {
    if (code === 1009) return true;
    if (!reason) return false; // no reason: a transport drop, whatever the code says
    return (code >= 3500 && code < 4000) || (code >= 4500 && code < 5000);
  }

  /** Seconds since epoch at which a JWT expires, or null (the payload is not verified here). */
  function tokenExpiry(token) {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const exp = JSON.parse(atob(part)).exp;
      return typeof exp === 'number' ? exp : null;
    } catch {
      return null;
    }
  }

  function protocolError(err) {
    return Object.assign(new Error(err.message || `error ${err.code}`), {
      code: err.code,
      temporary: !!err.temporary,
    });
  }

  class ProtocolClient {
    /**
     * @param {string} url WebSocket endpoint
     * @param {() => Promise<string>} getToken fetches a fresh connection token
     * @param {object} on callbacks: state(state, info), message(data), serverPublication(channel, pub), error(err)
     */
    constructor(url, getToken, on) {
      this.url = url;
      this.getToken = getToken;
      this.on = on;
      this.token = null;
      this.state = 'disconnected';
      this.ws = null;
      this.clientId = null;
      this.nextId = 1;
      this.pending = new Map(); // id -> {method, ok, fail, timer}
      this.outbox = [];
      this.flushQueued = false;
      this.subs = new Map(); // channel -> client-side Subscription state
      this.serverSubs = new Map(); // channel -> {offset, epoch} of server-side subscriptions
      this.attempt = 0;
      this.timers = {};
      this.pingSeconds = 0;
      this.pong = false;
      this.everConnected = false;
      this.waiters = [];
    }

    // ---- lifecycle ----

    connect() {
      if (this.state === 'connected' || this.state === 'connecting' || this.state === 'reconnecting') return;
      this.stopped = false;
      this.setState(this.everConnected ? 'reconnecting' : 'connecting');
      this.open();
    }

    disconnect() {
      this.stopped = true;
      this.teardown();
      this.clearTimer('reconnect');
      this.setState('disconnected', { code: 0, reason: 'disconnect called' });
    }

    setState(state, info = {}) {
      const changed = state !== this.state;
      this.state = state;
      if (state === 'connected') {
        for (const w of this.waiters.splice(0)) w.resolve();
      } else if (state === 'disconnected') {
        for (const w of this.waiters.splice(0)) w.reject(new Error(`disconnected: ${info.reason || ''}`));
      }
      if (changed || info.reason) this.on.state?.(state, info);
    }

    async open() {
      try {
        const exp = this.token && tokenExpiry(this.token);
        if (!this.token || (exp && exp * 1000 < Date.now() + 5000)) this.token = await this.getToken();
      } catch (err) {
        this.on.error?.(err);
        this.scheduleReconnect();
        return;
      }
      if (this.stopped) return;
      let ws;
      try {
        ws = new WebSocket(this.url);
      } catch (err) {
        this.on.error?.(err);
        this.scheduleReconnect();
        return;
      }
      this.ws = ws;
      ws.onopen = () => { if (ws === this.ws) this.sendConnect(); };
      ws.onmessage = (ev) => { if (ws === this.ws) this.onFrame(ev.data); };
      ws.onclose = (ev) => {
        if (ws !== this.ws) return;
        this.teardown();
        this.afterDrop(ev.code, ev.reason, !isTerminalClose(ev.code, ev.reason));
      };
    }

    /** Drops the socket, timers and in-flight commands; subscriptions stay, to be resubscribed. */
    teardown() {
      const ws = this.ws;
      this.ws = null;
      if (ws) {
        ws.onopen = ws.onmessage = ws.onclose = null;
        try { ws.close(); } catch { /* ignore */ }
      }
      for (const name of ['ping', 'refresh']) this.clearTimer(name);
      for (const sub of this.subs.values()) {
        this.clearTimer(`resub:${sub.channel}`);
        if (sub.state === 'subscribed') sub.state = 'subscribing';
      }
      const pending = [...this.pending.values()];
      this.pending.clear();
      this.outbox = [];
      for (const p of pending) {
        clearTimeout(p.timer);
        p.fail(Object.assign(new Error('connection closed'), { code: 0, temporary: true }));
      }
    }

    afterDrop(code, reason, reconnect) {
      if (this.stopped) return;
      if (reconnect) {
        this.scheduleReconnect(code, reason);
      } else {
        this.stopped = true;
        this.setState('disconnected', { code, reason });
      }
    }

    scheduleReconnect(code, reason) {
      if (this.stopped) return;
      this.setState(this.everConnected ? 'reconnecting' : 'connecting', { code, reason });
      const delay = backoff(this.attempt++);
      this.setTimer('reconnect', delay, () => this.open());
    }

    setTimer(name, ms, fn) {
      this.clearTimer(name);
      this.timers[name] = setTimeout(() => { delete this.timers[name]; fn(); }, ms);
    }

    clearTimer(name) {
      if (this.timers[name]) clearTimeout(this.timers[name]);
      delete this.timers[name];
    }

    /** The watchdog: a connection that has not heard from the server for ping + grace is dead. */
    touch() {
      if (!this.pingSeconds) return;
      this.setTimer('ping', this.pingSeconds * 1000 + MAX_SERVER_PING_DELAY_MS, () => {
        this.teardown();
        this.afterDrop(0, 'no ping', true);
      });
    }

    // ---- framing and commands ----

    /** Sends a command; ok/fail are called synchronously while the reply frame is processed. */
    command(method, params, ok, fail, timeoutMs = COMMAND_TIMEOUT_MS) {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        fail(Object.assign(new Error(`${method} timed out`), { code: 0, timeout: true }));
      }, timeoutMs);
      this.pending.set(id, { method, ok, fail, timer });
      this.enqueue(JSON.stringify({ id, [method]: params }));
    }

    /** Commands issued in the same tick go out as one newline-separated frame. */
    enqueue(line) {
      this.outbox.push(line);
      if (this.flushQueued) return;
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        const lines = this.outbox;
        this.outbox = [];
        if (lines.length && this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(lines.join('\n'));
      });
    }

    onFrame(text) {
      this.touch();
      for (const line of String(text).trim().split('\n')) {
        if (!line) continue;
        let msg;
        try { msg = JSON.parse(line); } catch { continue; }
        if (!this.ws) return; // a handler closed the connection while this frame was processed
        if (msg.id) {
          const p = this.pending.get(msg.id);
          if (!p) continue;
          this.pending.delete(msg.id);
          clearTimeout(p.timer);
          if (msg.error) p.fail(protocolError(msg.error));
          else p.ok(msg[p.method] || {});
        } else if (msg.push) {
          this.onPush(msg.push);
        } else if (this.pong) {
          this.enqueue('{}'); // an empty reply is the server's ping: answer with an empty command
        }
      }
    }

    /** Public request API: waits for the connection, resolves with the command's result. */
    async request(method, params) {
      if (this.state !== 'connected') await this.ready();
      return new Promise((resolve, reject) => this.command(method, params, resolve, reject));
    }

    ready(timeoutMs = COMMAND_TIMEOUT_MS) {
      if (this.state === 'connected') return Promise.resolve();
      if (this.state === 'disconnected') return Promise.reject(new Error('disconnected'));
      return new Promise((resolve, reject) => {
        const w = { resolve, reject };
        this.waiters.push(w);
        setTimeout(() => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) { this.waiters.splice(i, 1); reject(new Error('not connected')); }
        }, timeoutMs);
      });
    }

    publish(channel, data) { return this.request('publish', { channel, data }); }
    presence(channel) { return this.request('presence', { channel }); }
    history(channel, opts) { return this.request('history', { channel, ...opts }); }
    async rpc(method, data) { return (await this.request('rpc', { method, data })).data; }

    // ---- connect and token refresh ----

    sendConnect() {
      const params = { token: this.token, name: 'switchboard-web', version: '0.1.0' };
      const subs = {};
      for (const [channel, pos] of this.serverSubs) {
        if (pos.epoch) subs[channel] = { recover: true, offset: pos.offset, epoch: pos.epoch };
      }
      if (Object.keys(subs).length) params.subs = subs;
      this.command('connect', params, (res) => this.onConnected(res), (err) => this.onConnectError(err));
      // Pending subscriptions ride in the same frame as connect.
      for (const sub of this.subs.values()) this.sendSubscribe(sub);
    }

    onConnected(res) {
      this.clientId = res.client;
      this.pingSeconds = res.ping || 0;
      this.pong = !!res.pong;
      this.attempt = 0;
      this.everConnected = true;
      this.touch();
      if (res.expires) this.scheduleRefresh(res.ttl || 0);
      this.setState('connected', { client: res.client });
      for (const [channel, result] of Object.entries(res.subs || {})) this.onServerSubscribed(channel, result);
    }

    onConnectError(err) {
      if (!this.ws) return; // the socket already went away (timeout / close)
      this.teardown();
      if (err.code === 109) {
        this.token = null; // expired: open() fetches a fresh one first
        this.afterDrop(err.code, err.message, true);
      } else {
        this.afterDrop(err.code, err.message, err.timeout || err.temporary || err.code < 100);
      }
    }

    scheduleRefresh(ttlSeconds) {
      this.setTimer('refresh', Math.min(Math.max(0, ttlSeconds) * 1000, 2 ** 31 - 1), async () => {
        try {
          const token = await this.getToken();
          if (!this.ws || this.state !== 'connected') return;
          this.token = token;
          this.command('refresh', { token }, (res) => {
            if (res.client) this.clientId = res.client;
            if (res.expires) this.scheduleRefresh(res.ttl || 0);
          }, (err) => {
            if (err.code === 0 && !err.timeout) return; // connection closed meanwhile
            this.on.error?.(err);
            this.scheduleRefresh(5); // try again shortly; the server closes with 3005 if we never make it
          });
        } catch (err) {
          this.on.error?.(err);
          this.scheduleRefresh(5);
        }
      });
    }

    // ---- subscriptions ----

    /**
     * Subscribes to a channel (kept across reconnects). handlers: subscribed(ctx), publication(pub),
     * join(info), leave(info), unsubscribed({code, reason}).
     */
    subscribe(channel, handlers) {
      if (this.subs.has(channel)) return;
      const sub = { channel, handlers, state: 'subscribing', offset: null, epoch: null, attempt: 0 };
      this.subs.set(channel, sub);
      if (this.state === 'connected') this.sendSubscribe(sub);
    }

    unsubscribe(channel) {
      const sub = this.subs.get(channel);
      if (!sub) return;
      this.subs.delete(channel);
      this.clearTimer(`resub:${channel}`);
      if (this.state === 'connected') this.command('unsubscribe', { channel }, () => {}, () => {});
    }

    sendSubscribe(sub) {
      sub.state = 'subscribing';
      const params = { channel: sub.channel };
      const recovering = sub.epoch !== null && sub.offset !== null;
      if (recovering) Object.assign(params, { recover: true, offset: sub.offset, epoch: sub.epoch });
      this.command('subscribe', params,
        (res) => this.onSubscribed(sub, res, recovering),
        (err) => this.onSubscribeError(sub, err));
    }

    onSubscribed(sub, res, wasRecovering) {
      if (this.subs.get(sub.channel) !== sub) return;
      sub.state = 'subscribed';
      sub.attempt = 0;
      if (res.recoverable || res.positioned) {
        sub.epoch = res.epoch || '';
        sub.offset = res.offset || 0;
      }
      const pubs = res.publications || [];
      sub.handlers.subscribed?.({
        channel: sub.channel,
        wasRecovering,
        recovered: !!res.recovered,
        epoch: sub.epoch,
        offset: sub.offset,
        recoveredCount: pubs.length,
      });
      for (const pub of pubs) this.deliver(sub, pub);
    }

    onSubscribeError(sub, err) {
      if (this.subs.get(sub.channel) !== sub) return;
      if (err.timeout) { // the SDK's rule: a subscribe timeout means the connection is unhealthy
        this.teardown();
        this.afterDrop(0, 'subscribe timeout', true);
        return;
      }
      if (err.code === 0) return; // connection closed; resubscribed after reconnect
      if (err.code === 109 || err.temporary || err.code < 100) {
        this.setTimer(`resub:${sub.channel}`, backoff(sub.attempt++), () => {
          if (this.state === 'connected' && this.subs.get(sub.channel) === sub) this.sendSubscribe(sub);
        });
        return;
      }
      this.subs.delete(sub.channel);
      sub.handlers.unsubscribed?.({ code: err.code, reason: err.message });
    }

    onServerSubscribed(channel, res) {
      const pos = this.serverSubs.get(channel) || { offset: null, epoch: null };
      this.serverSubs.set(channel, pos);
      if (res.recoverable || res.positioned) {
        pos.epoch = res.epoch || '';
        pos.offset = res.offset || 0;
      }
      for (const pub of res.publications || []) this.deliverServer(channel, pos, pub);
    }

    /** Tracks the stream position from every publication and drops duplicates. */
    deliver(sub, pub) {
      if (pub.offset) {
        if (sub.offset !== null && pub.offset <= sub.offset) return;
        sub.offset = pub.offset;
      }
      sub.handlers.publication?.(pub);
    }

    deliverServer(channel, pos, pub) {
      if (pub.offset) {
        if (pos.offset !== null && pub.offset <= pos.offset) return;
        pos.offset = pub.offset;
      }
      this.on.serverPublication?.(channel, pub);
    }

    onPush(push) {
      if (push.message) { this.on.message?.(push.message.data); return; }
      if (push.disconnect) {
        const { code, reason } = push.disconnect; // like the SDK, decide by code ranges
        this.teardown();
        this.afterDrop(code, reason, !isTerminalClose(code, reason || '-'));
        return;
      }
      const channel = push.channel;
      const sub = this.subs.get(channel);
      if (push.subscribe) { this.onServerSubscribed(channel, push.subscribe); return; }
      if (!sub) {
        const pos = this.serverSubs.get(channel);
        if (pos && push.pub) this.deliverServer(channel, pos, push.pub);
        if (pos && push.unsubscribe) this.serverSubs.delete(channel);
        return;
      }
      if (push.pub) {
        if (sub.state === 'subscribed') this.deliver(sub, push.pub);
      } else if (push.join) {
        sub.handlers.join?.(push.join.info);
      } else if (push.leave) {
        sub.handlers.leave?.(push.leave.info);
      } else if (push.unsubscribe) {
        const code = push.unsubscribe.code || 0;
        if (code >= 2500) {
          this.sendSubscribe(sub); // insufficient state / expired: resubscribe with recovery
        } else {
          this.subs.delete(channel);
          sub.handlers.unsubscribed?.({ code, reason: push.unsubscribe.reason || '' });
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Part 2: the chat UI
  // ---------------------------------------------------------------------------------------------

  const PAGE_SIZE = 30;
  const TYPING_THROTTLE_MS = 2000;
  const TYPING_SHOW_MS = 3000;
  const SESSION_KEY = 'switchboard.session';
  const ROOM_RE = /^[A-Za-z0-9_-]{1,64}$/;
  const USER_RE = /^[A-Za-z0-9_.-]{1,32}$/;

  const $ = (id) => document.getElementById(id);
  const ui = {
    status: $('status'), me: $('me'), logout: $('logout'),
    loginView: $('login-view'), loginForm: $('login-form'), username: $('username'), loginError: $('login-error'),
    chatView: $('chat-view'), joinForm: $('join-form'), room: $('room'), rooms: $('rooms'),
    presence: $('presence'), presenceCount: $('presence-count'), notifications: $('notifications'),
    roomTitle: $('room-title'), messages: $('messages'), historyStatus: $('history-status'), typing: $('typing'),
    sendForm: $('send-form'), message: $('message'), send: $('send'), sendError: $('send-error'),
  };

  /** document.createElement with text (textContent), class and attributes. */
  function h(tag, { text, cls, attrs } = {}, ...children) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    for (const child of children) node.append(child);
    return node;
  }

  const app = { user: null, client: null, rooms: new Map(), active: null, lastTypingSent: 0 };

  function saveSession() {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({
      user: app.user, rooms: [...app.rooms.keys()], active: app.active && app.active.name,
    }));
  }

  function loadSession() {
    try { return JSON.parse(sessionStorage.getItem(SESSION_KEY)) || null; } catch { return null; }
  }

  async function fetchToken(user) {
    const res = await fetch(`/demo/token?user=${encodeURIComponent(user)}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`could not get a token (HTTP ${res.status})`);
    const body = await res.json();
    if (!body.token) throw new Error('no token in the reply');
    return body.token;
  }

  function setStatus(state, info) {
    ui.status.dataset.state = state;
    const why = state !== 'connected' && info && info.reason ? ` (${info.reason})` : '';
    ui.status.textContent = state + why;
    const usable = state === 'connected' && !!app.active;
    ui.message.disabled = !app.active;
    ui.send.disabled = !usable;
  }

  // ---- login ----

  ui.loginForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const user = ui.username.value.trim();
    ui.loginError.textContent = '';
    if (!USER_RE.test(user)) {
      ui.loginError.textContent = 'Use 1–32 letters, digits, dot, dash or underscore.';
      return;
    }
    try {
      const token = await fetchToken(user);
      start(user, token, []);
    } catch (err) {
      ui.loginError.textContent = err.message;
    }
  });

  ui.logout.addEventListener('click', () => {
    if (app.client) app.client.disconnect();
    sessionStorage.removeItem(SESSION_KEY);
    location.reload();
  });

  function start(user, token, rooms, active) {
    app.user = user;
    ui.me.textContent = user;
    ui.me.title = user; // a long name is cut with an ellipsis on a narrow screen
    ui.loginView.hidden = true;
    ui.chatView.hidden = false;
    ui.logout.hidden = false;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    app.client = new ProtocolClient(`${scheme}//${location.host}/connection/websocket`, () => fetchToken(user), {
      state: onClientState,
      message: onAsyncMessage,
      serverPublication: onNotification,
      error: (err) => console.warn('switchboard:', err.message),
    });
    app.client.token = token;
    app.client.connect();
    for (const name of rooms) joinRoom(name);
    const first = (active && app.rooms.get(active)) || app.rooms.values().next().value;
    if (first) activate(first);
    saveSession();
    ui.room.focus();
  }

  function onClientState(state, info) {
    setStatus(state, info);
    if (state === 'connected') {
      refreshUnread();
      syncPush();
    }
    if (state === 'disconnected' && info && info.code) {
      ui.sendError.textContent = `Disconnected: ${info.reason || info.code}`;
    }
  }

  // ---- rooms ----

  ui.joinForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = ui.room.value.trim();
    if (!ROOM_RE.test(name)) return;
    ui.room.value = '';
    activate(joinRoom(name));
    saveSession();
  });

  function joinRoom(name) {
    if (app.rooms.has(name)) return app.rooms.get(name);
    const room = {
      name,
      channel: `chat:${name}`,
      typingChannel: `typing:${name}`,
      messages: new Map(), // offset -> publication
      epoch: '',
      top: 0,
      oldest: null,
      hasMore: true,
      loadingOlder: false,
      readOffset: 0,
      unread: 0,
      presence: new Map(), // client id -> ClientInfo
      typing: new Map(), // user -> timer
    };
    const badge = h('span', { text: '0', cls: 'badge', attrs: { 'data-testid': `badge-${name}`, 'data-count': 0 } });
    room.li = h('li', { attrs: { 'data-room': name, 'data-testid': `room-${name}` } },
      h('span', { text: `#${name}`, cls: 'room-name' }), badge);
    room.badge = badge;
    room.li.addEventListener('click', () => activate(room));
    ui.rooms.append(room.li);
    app.rooms.set(name, room);

    app.client.subscribe(room.channel, {
      subscribed: (ctx) => onRoomSubscribed(room, ctx),
      publication: (pub) => onRoomPublication(room, pub),
      join: (info) => presenceEvent(room, 'join', info),
      leave: (info) => presenceEvent(room, 'leave', info),
      unsubscribed: ({ code, reason }) => showRoomError(room, `unsubscribed: ${reason} (${code})`),
    });
    app.client.subscribe(room.typingChannel, {
      publication: (pub) => onTyping(room, pub),
    });
    return room;
  }

  function activate(room) {
    app.active = room;
    for (const r of app.rooms.values()) r.li.classList.toggle('active', r === room);
    ui.roomTitle.textContent = `#${room.name}`;
    ui.sendError.textContent = '';
    renderMessages(true);
    renderPresence();
    renderTyping();
    setStatus(app.client.state);
    markRead(room);
    saveSession();
  }

  function showRoomError(room, text) {
    if (room === app.active) ui.sendError.textContent = text;
  }

  async function onRoomSubscribed(room, ctx) {
    const streamChanged = room.epoch && ctx.epoch !== room.epoch;
    room.epoch = ctx.epoch;
    if (!ctx.recovered || streamChanged) {
      // First subscribe, or recovery was impossible: start over from the latest page of history.
      room.messages.clear();
      room.oldest = null;
      room.hasMore = true;
      room.top = ctx.offset;
      if (room === app.active) renderMessages(true);
      await loadLatest(room);
    }
    loadPresence(room);
    refreshUnread([room.channel]);
  }

  function onRoomPublication(room, pub) {
    addMessage(room, pub);
    const author = pub.info && pub.info.user;
    if (author && room.typing.has(author)) {
      clearTimeout(room.typing.get(author));
      room.typing.delete(author);
      if (room === app.active) renderTyping();
    }
    if (isVisible(room)) {
      markRead(room);
    } else if (pub.offset > room.readOffset && author !== app.user) {
      setUnread(room, room.unread + 1);
    }
  }

  function isVisible(room) {
    return room === app.active && document.visibilityState === 'visible';
  }

  // ---- messages and history ----

  function addMessage(room, pub) {
    if (!pub.offset || room.messages.has(pub.offset)) return false;
    room.messages.set(pub.offset, pub);
    room.top = Math.max(room.top, pub.offset);
    if (room.oldest === null || pub.offset < room.oldest) room.oldest = pub.offset;
    if (room === app.active) insertMessageNode(pub);
    return true;
  }

  function messageNode(pub) {
    const data = pub.data && typeof pub.data === 'object' ? pub.data : { text: String(pub.data) };
    const author = (pub.info && pub.info.user) || data.user || 'server';
    const node = h('div', {
      cls: author === app.user ? 'msg mine' : 'msg',
      attrs: { 'data-offset': pub.offset, 'data-testid': 'message', 'data-author': author },
    },
    h('span', { text: author, cls: 'author' }),
    h('span', { text: typeof data.text === 'string' ? data.text : JSON.stringify(data), cls: 'text' }));
    if (typeof data.ts === 'number') {
      const when = new Date(data.ts);
      node.append(h('time', { text: when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
        attrs: { datetime: when.toISOString() } }));
    }
    return node;
  }

  /** Inserts in offset order, keeping the view pinned to the bottom if it was there. */
  function insertMessageNode(pub) {
    const box = ui.messages;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    const node = messageNode(pub);
    let before = null;
    for (let n = box.lastElementChild; n && n !== ui.historyStatus; n = n.previousElementSibling) {
      if (Number(n.dataset.offset) < pub.offset) break;
      before = n;
    }
    box.insertBefore(node, before);
    if (atBottom) box.scrollTop = box.scrollHeight;
  }

  function renderMessages(scrollToBottom) {
    const room = app.active;
    const box = ui.messages;
    while (box.lastElementChild && box.lastElementChild !== ui.historyStatus) box.lastElementChild.remove();
    if (!room) return;
    const offsets = [...room.messages.keys()].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (const off of offsets) frag.append(messageNode(room.messages.get(off)));
    box.append(frag);
    renderHistoryStatus();
    if (scrollToBottom) box.scrollTop = box.scrollHeight;
  }

  function renderHistoryStatus() {
    const room = app.active;
    let text = '';
    if (room && room.loadingOlder) text = 'Loading older messages…';
    else if (room && !room.hasMore) text = room.messages.size ? `Start of #${room.name}` : `No messages in #${room.name} yet`;
    ui.historyStatus.textContent = text;
    ui.historyStatus.dataset.more = room && room.hasMore ? 'true' : 'false';
  }

  async function loadLatest(room) {
    try {
      const res = await app.client.history(room.channel, { limit: PAGE_SIZE, reverse: true });
      const pubs = res.publications || [];
      for (const pub of pubs) addMessage(room, pub);
      room.hasMore = pubs.length === PAGE_SIZE && room.oldest !== null && room.oldest > 1;
      if (room === app.active) { renderHistoryStatus(); ui.messages.scrollTop = ui.messages.scrollHeight; }
      fillViewport(room);
    } catch (err) {
      showRoomError(room, `history: ${err.message}`);
    }
  }

  /** Pages back through history: `since` the oldest loaded offset, reversed (newest first). */
  async function loadOlder(room) {
    if (room.loadingOlder || !room.hasMore || room.oldest === null) return;
    room.loadingOlder = true;
    if (room === app.active) renderHistoryStatus();
    try {
      const res = await app.client.history(room.channel, {
        limit: PAGE_SIZE, reverse: true, since: { offset: room.oldest, epoch: room.epoch },
      });
      const box = ui.messages;
      const heightBefore = box.scrollHeight;
      let added = 0;
      for (const pub of res.publications || []) if (addMessage(room, pub)) added++;
      room.hasMore = added > 0 && room.oldest > 1;
      if (room === app.active) box.scrollTop += box.scrollHeight - heightBefore; // keep the reader's place
    } catch (err) {
      if (err.code === 112) { // the stream was reset under us: start again from the top
        room.messages.clear(); room.oldest = null; room.hasMore = true;
        if (room === app.active) renderMessages(true);
        room.loadingOlder = false;
        return loadLatest(room);
      }
      showRoomError(room, `history: ${err.message}`);
    } finally {
      room.loadingOlder = false;
      if (room === app.active) renderHistoryStatus();
    }
    fillViewport(room);
  }

  /** Loads older pages until the list can scroll (or history ends), so scrolling up can page further. */
  function fillViewport(room) {
    const box = ui.messages;
    if (room === app.active && room.hasMore && box.scrollHeight <= box.clientHeight + 80) loadOlder(room);
  }

  ui.messages.addEventListener('scroll', () => {
    if (app.active && ui.messages.scrollTop < 80) loadOlder(app.active);
  });

  // ---- sending and typing ----

  ui.sendForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const room = app.active;
    const text = ui.message.value.trim();
    if (!room || !text) return;
    ui.sendError.textContent = '';
    try {
      await app.client.publish(room.channel, { text, ts: Date.now() });
      ui.message.value = '';
      app.lastTypingSent = 0;
    } catch (err) {
      ui.sendError.textContent = `Not sent: ${err.message}`;
    }
  });

  ui.message.addEventListener('input', () => {
    const room = app.active;
    if (!room || !ui.message.value.trim() || app.client.state !== 'connected') return;
    const now = Date.now();
    if (now - app.lastTypingSent < TYPING_THROTTLE_MS) return;
    app.lastTypingSent = now;
    app.client.publish(room.typingChannel, { typing: true, user: app.user }).catch(() => {});
  });

  function onTyping(room, pub) {
    const data = pub.data || {};
    const user = (pub.info && pub.info.user) || data.user;
    if (!user || user === app.user) return;
    clearTimeout(room.typing.get(user));
    if (data.typing === false) {
      room.typing.delete(user);
    } else {
      room.typing.set(user, setTimeout(() => {
        room.typing.delete(user);
        if (room === app.active) renderTyping();
      }, TYPING_SHOW_MS));
    }
    if (room === app.active) renderTyping();
  }

  function renderTyping() {
    const users = app.active ? [...app.active.typing.keys()].sort() : [];
    let text = '';
    if (users.length === 1) text = `${users[0]} is typing…`;
    else if (users.length === 2) text = `${users[0]} and ${users[1]} are typing…`;
    else if (users.length > 2) text = `${users.length} people are typing…`;
    ui.typing.textContent = text;
  }

  // ---- presence ----

  /** Join/leave pushes. Those that arrive while a presence snapshot is in flight are replayed onto it. */
  function presenceEvent(room, kind, info) {
    if (room.presenceInFlight) room.presenceInFlight.push([kind, info]);
    if (kind === 'join') room.presence.set(info.client, info);
    else room.presence.delete(info.client);
    if (room === app.active) renderPresence();
  }

  async function loadPresence(room) {
    const replay = [];
    room.presenceInFlight = replay;
    try {
      const res = await app.client.presence(room.channel);
      if (room.presenceInFlight !== replay) return; // a newer snapshot is on its way
      room.presence = new Map(Object.entries(res.presence || {}));
      for (const [kind, info] of replay) {
        if (kind === 'join') room.presence.set(info.client, info);
        else room.presence.delete(info.client);
      }
      if (room === app.active) renderPresence();
    } catch (err) {
      showRoomError(room, `presence: ${err.message}`);
    } finally {
      if (room.presenceInFlight === replay) room.presenceInFlight = null;
    }
  }

  function renderPresence() {
    const room = app.active;
    const counts = new Map();
    for (const info of room ? room.presence.values() : []) {
      counts.set(info.user, (counts.get(info.user) || 0) + 1);
    }
    const users = [...counts.keys()].sort((a, b) => a.localeCompare(b));
    ui.presence.replaceChildren(...users.map((user) => h('li', {
      text: user === app.user ? `${user} (you)` : user,
      cls: user === app.user ? 'self' : '',
      attrs: { 'data-user': user, 'data-connections': counts.get(user) },
    })));
    ui.presenceCount.textContent = users.length ? `(${users.length})` : '';
  }

  // ---- unread badges: `read` / `unread` RPCs and the read-sync push ----

  function setUnread(room, n) {
    room.unread = Math.max(0, n);
    room.badge.textContent = String(room.unread);
    room.badge.dataset.count = String(room.unread);
  }

  async function refreshUnread(channels) {
    const rooms = channels ? channels.map((c) => roomOf(c)).filter(Boolean) : [...app.rooms.values()];
    if (!rooms.length) return;
    try {
      const res = await app.client.rpc('unread', { channels: rooms.map((r) => r.channel) });
      for (const room of rooms) {
        const n = res && res.channels ? res.channels[room.channel] : undefined;
        if (typeof n !== 'number') continue;
        if (isVisible(room)) markRead(room);
        else setUnread(room, n);
      }
    } catch (err) {
      console.warn('switchboard: unread', err.message);
    }
  }

  function markRead(room) {
    setUnread(room, 0);
    if (room.top <= room.readOffset || room.readTimer) return;
    room.readTimer = setTimeout(async () => {
      room.readTimer = null;
      const offset = room.top;
      if (offset <= room.readOffset) return;
      try {
        const res = await app.client.rpc('read', { channel: room.channel, offset });
        room.readOffset = Math.max(room.readOffset, (res && res.offset) || offset);
      } catch (err) {
        console.warn('switchboard: read', err.message);
      }
    }, 300);
  }

  function roomOf(channel) {
    for (const room of app.rooms.values()) if (room.channel === channel) return room;
    return null;
  }

  /** Async messages: `read` is pushed when another connection of this user marked a channel read. */
  function onAsyncMessage(data) {
    if (!data || data.type !== 'read') return;
    const room = roomOf(data.channel);
    if (!room) return;
    room.readOffset = Math.max(room.readOffset, Number(data.offset) || 0);
    refreshUnread([room.channel]);
  }

  document.addEventListener('visibilitychange', () => {
    if (app.active && isVisible(app.active)) markRead(app.active);
  });

  // ---- personal notifications (server-side subscription to notify:#<user>) ----

  function onNotification(channel, pub) {
    const data = pub.data;
    const text = data && typeof data === 'object' && typeof data.text === 'string' ? data.text : JSON.stringify(data);
    ui.notifications.prepend(h('li', { text, attrs: { 'data-offset': pub.offset || 0, 'data-channel': channel } }));
    while (ui.notifications.children.length > 20) ui.notifications.lastElementChild.remove();
  }

  // ---- Web Push: "Enable notifications" (docs/notifications.md, "Web Push") ----
  // The service worker (sw.js) shows pushes that arrive while no page is connected. The subscription goes to the
  // server with the push.subscribe RPC over this page's connection, so it belongs to the logged-in user.

  const pushUi = { button: $('enable-push'), status: $('push-status') };
  const pushSupported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

  function base64UrlToBytes(s) {
    const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  }

  async function pushSubscription(create) {
    const reg = await navigator.serviceWorker.register('sw.js');
    const existing = await reg.pushManager.getSubscription();
    if (existing || !create) return existing;
    const res = await fetch('/api/push/vapid-public-key', { cache: 'no-store' });
    if (!res.ok) throw new Error(`push is not available here (HTTP ${res.status})`);
    const { key } = await res.json();
    return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(key) });
  }

  async function registerPush(create) {
    const sub = await pushSubscription(create);
    if (!sub || !app.client) return false;
    await app.client.rpc('push.subscribe', sub.toJSON());
    return true;
  }

  function showPushState() {
    if (!pushSupported) return;
    const granted = Notification.permission === 'granted';
    pushUi.button.hidden = granted || Notification.permission === 'denied';
    pushUi.status.textContent = granted ? 'Notifications on' : Notification.permission === 'denied'
      ? 'Notifications blocked in this browser' : '';
  }

  if (pushSupported) {
    showPushState();
    pushUi.button.addEventListener('click', async () => {
      pushUi.status.textContent = '';
      try {
        if (await Notification.requestPermission() !== 'granted') throw new Error('permission not granted');
        await registerPush(true);
        showPushState();
      } catch (err) {
        pushUi.status.textContent = `Could not enable notifications: ${err.message}`;
      }
    });
  }

  /** On each connect: a subscription this browser already has is (re)registered for the current user. */
  function syncPush() {
    if (!pushSupported || Notification.permission !== 'granted') return;
    registerPush(false).catch((err) => console.warn('switchboard push:', err.message));
  }

  // ---- boot: resume the session of this tab (survives reloads) ----

  const session = loadSession();
  if (session && session.user && USER_RE.test(session.user)) {
    fetchToken(session.user)
      .then((token) => start(session.user, token, (session.rooms || []).filter((r) => ROOM_RE.test(r)), session.active))
      .catch((err) => { ui.loginError.textContent = err.message; ui.username.value = session.user; });
  }
})();
