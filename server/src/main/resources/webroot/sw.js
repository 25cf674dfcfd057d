// Switchboard service worker: shows Web Push messages as notifications (docs/notifications.md, "Web Push").
// A message is the decrypted JSON {title, body, url, channel, offset, tag}; tag ("<channel>:<offset>") names the
// notification. The server delivers at least once: after a crash it may post a message again, so a tag that was
// already shown here is not shown twice (the last tags are remembered in the Cache API, which outlives this worker).
'use strict';

const SEEN_CACHE = 'switchboard-push-seen';
const SEEN_MAX = 200;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function alreadyShown(tag) {
  const open = await self.registration.getNotifications({ tag });
  if (open.length > 0) return true;
  const cache = await caches.open(SEEN_CACHE);
  const key = new Request(`/__push-seen/${encodeURIComponent(tag)}`);
  if (await cache.match(key)) return true;
  await cache.put(key, new Response(''));
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - SEEN_MAX))) await cache.delete(old);
  return false;
}

function safeUrl(url) {
  try {
    const u = new URL(url || '/', self.location.origin);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : self.location.origin + '/';
  } catch {
    return self.location.origin + '/';
  }
}

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const tag = typeof data.tag === 'string' ? data.tag : '';
  event.waitUntil((async () => {
    if (tag && await alreadyShown(tag)) return;
    await self.registration.showNotification(data.title || 'New notification', {
      body: data.body || '',
      tag: tag || undefined,
      data: { url: safeUrl(data.url), channel: data.channel, offset: data.offset },
    });
  })());
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || self.location.origin + '/';
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const w of windows) {
      if (w.url === url && 'focus' in w) return w.focus();
    }
    return self.clients.openWindow(url);
  })());
});
