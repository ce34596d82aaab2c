// Mitra's service worker: makes the app installable and lets its pages open without a network.
// Static files are cached; pages are fetched from the server first and a copy of the few pages
// used for logging (Home, Log, Check-in) is kept so they open offline, where app.js queues what
// is saved until the server answers again. Nothing else of the journal is stored by the browser.
"use strict";

importScripts("/static/queue.js");

const CACHE = "mitra-v1";
const STATIC = ["/static/style.css", "/static/app.js", "/static/queue.js", "/static/offline.js"];
const OFFLINE_PAGES = ["/", "/uses/new", "/checkins/new"];
const OFFLINE_POSTS = ["/quick/log", "/uses/new", "/checkins/new"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(STATIC)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && OFFLINE_POSTS.includes(url.pathname)) {
    // The device says it is online but the server does not answer: keep the entry here.
    const copy = request.clone();
    event.respondWith(fetch(request).catch(() => queued(url.pathname, copy)));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
          return response;
        })
        .catch(() => caches.match(request)),
    );
    return;
  }
  if (request.mode === "navigate" && OFFLINE_PAGES.includes(url.pathname)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname).then((hit) => hit || offlinePage())),
    );
  }
});

async function queued(path, request) {
  const data = await request.formData();
  const fields = [...data.entries()].filter(([, v]) => typeof v === "string");
  const what = path === "/checkins/new" ? "Check-in" : `${data.get("amount") || ""} ${data.get("unit") || ""}`;
  await MitraQueue.add(MitraQueue.fromFields(path, fields, what));
  const body = "<!doctype html><html lang=\"en\"><title>Saved on this device</title><p>Mitra could not be " +
    "reached, so this entry is saved on this device and will be sent when it can be. " +
    "<a href=\"/\">Back to Today</a></p></html>";
  return new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function offlinePage() {
  const body = "<!doctype html><html lang=\"en\"><title>Offline</title><p>No connection, and this page was not saved " +
    "for offline use. <a href=\"/\">Today</a> opens offline once it has been opened online.</p></html>";
  return new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
