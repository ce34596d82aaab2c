// The offline queue, shared by the pages (offline.js) and the service worker (sw.js): doses and
// check-ins saved while the server cannot be reached wait in IndexedDB, each with the id the
// browser gave it (client_id), and are sent again later. The server stores each id once
// (migration 0006), so sending one twice never makes two entries.
//
// Server mode (issue #20): each entry keeps the account it was saved under (the page's
// queue_owner field) and is sent only while that account is signed in, so one person's doses never
// land in another's journal on a shared phone. A form's CSRF token is not kept: it may belong to a
// session that has ended by the time the entry is sent. The replay asks the server who is signed
// in and for the session's current token (GET /api/v1/session) and sends it as X-CSRF-Token.
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
    const owner = (fields.find(([name]) => name === "queue_owner") || [])[1] || "";
    const dropped = ["queue_owner", "csrf_token", timeField];
    const copy = fields.filter(([name]) => !dropped.includes(name));
    const given = fields.find(([name]) => name === timeField);
    copy.push([timeField, given && given[1] ? given[1] : now]);
    let clientId = (fields.find(([name]) => name === "client_id") || [])[1];
    if (!clientId) {
      clientId = self.crypto.randomUUID();
      copy.push(["client_id", clientId]);
    }
    return { client_id: clientId, action, fields: copy, what, owner, queued_at: now, problem: "" };
  }

  // Who is signed in and the session's CSRF token (server mode); personal mode has no accounts
  // ({ account: "" }); null when no one is signed in or the server cannot be reached.
  async function session() {
    let response;
    try {
      response = await fetch("/api/v1/session", { credentials: "same-origin", headers: { "X-Mitra-Replay": "1" } });
    } catch (error) {
      return null;
    }
    if (response.status === 404 || response.status === 405) return { account: "", csrf: "" };
    if (!response.ok) return null;
    const found = await response.json();
    return { account: found.account || "", csrf: found.csrf || "" };
  }

  // The entries of the account signed in now (all of them in personal mode).
  async function mine(account) {
    return (await list()).filter((item) => (item.owner || "") === account);
  }

  // Send every waiting entry of the signed-in account in the order saved. A 303 (stored, or
  // stored before) removes it; a refusal (4xx) keeps it with the reason; no session (401), an
  // out-of-date token (403) or no answer stops until the next try, keeping everything.
  async function replay() {
    let sent = 0;
    const who = await session();
    if (who === null) return { sent, waiting: [] };
    const headers = { "X-Mitra-Replay": "1" };
    if (who.csrf) headers["X-CSRF-Token"] = who.csrf;
    for (const item of await mine(who.account)) {
      let response;
      try {
        response = await fetch(item.action, {
          method: "POST",
          body: new URLSearchParams(item.fields),
          headers,
          redirect: "manual",
          credentials: "same-origin",
        });
      } catch (error) {
        break;
      }
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        await remove(item.client_id);
        sent += 1;
      } else if (response.status >= 400 && response.status < 500 && ![401, 403, 408, 429].includes(response.status)) {
        await add({ ...item, problem: `refused by the server (${response.status}); open the form to enter it again` });
      } else {
        break;
      }
    }
    return { sent, waiting: await mine(who.account) };
  }

  return { add, remove, list, mine, fromFields, replay };
})();
