// The offline queue, shared by the pages (offline.js) and the service worker (sw.js): doses and
// check-ins saved while the server cannot be reached wait in IndexedDB, each with the id the
// browser gave it (client_id), and are sent again later. The server stores each id once
// (migration 0006), so sending one twice never makes two entries.
"use strict";

const MitraQueue = (() => {
  const DB = "mitra-offline";
  const STORE = "queue";

  function open() {
    return new Promise((resolve, reject) => {
      const request = self.indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "client_id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(result && "result" in result ? result.result : undefined); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }

  // One queued entry: where it is posted, its form fields (client_id and the time included).
  function add(item) { return run("readwrite", (store) => store.put(item)); }
  function remove(clientId) { return run("readwrite", (store) => store.delete(clientId)); }
  async function list() {
    const items = (await run("readonly", (store) => store.getAll())) || [];
    return items.sort((a, b) => a.queued_at.localeCompare(b.queued_at));
  }

  // The form's fields as queued: the time field filled with the moment it was saved, so a
  // replay hours later keeps the original time.
  function fromFields(action, fields, what) {
    const timeField = action.startsWith("/checkins") ? "recorded_at" : "taken_at";
    const now = new Date().toISOString();
    const copy = fields.filter(([name]) => name !== timeField);
    const given = fields.find(([name]) => name === timeField);
    copy.push([timeField, given && given[1] ? given[1] : now]);
    let clientId = (fields.find(([name]) => name === "client_id") || [])[1];
    if (!clientId) {
      clientId = self.crypto.randomUUID();
      copy.push(["client_id", clientId]);
    }
    return { client_id: clientId, action, fields: copy, what, queued_at: now, problem: "" };
  }

  // Send every waiting entry in the order saved. A 303 (stored, or stored before) removes it; a
  // refusal (4xx) keeps it with the reason; no answer stops until the next try.
  async function replay() {
    let sent = 0;
    for (const item of await list()) {
      let response;
      try {
        response = await fetch(item.action, {
          method: "POST",
          body: new URLSearchParams(item.fields),
          redirect: "manual",
          credentials: "same-origin",
        });
      } catch (error) {
        break;
      }
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        await remove(item.client_id);
        sent += 1;
      } else if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 408 && response.status !== 429) {
        await add({ ...item, problem: `refused by the server (${response.status}); open the form to enter it again` });
      } else {
        break;
      }
    }
    return { sent, waiting: await list() };
  }

  return { add, remove, list, fromFields, replay };
})();
