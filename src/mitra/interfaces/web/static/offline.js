// Offline logging for the dose and check-in forms (forms marked data-offline). Without this
// script the forms post as usual. With it, each form gets a client_id; while the device is
// offline a save is kept in IndexedDB (queue.js) instead, the page says what is waiting, and
// everything waiting is sent when the device is back online.
"use strict";

(() => {
  const box = document.getElementById("offline-queue");
  // Server mode: the account signed in when this page was made; its entries are the ones shown.
  const account = (document.querySelector("meta[name=mitra-account]") || {}).content || "";

  function describe(form) {
    const data = new FormData(form);
    const product = form.dataset.product || (form.querySelector("select[name=product_id] option:checked") || {}).textContent || "";
    if (form.dataset.offline === "checkin") {
      const rated = ["mood", "anxiety", "pain", "sleep", "craving"].filter((n) => data.get(n)).map((n) => `${n} ${data.get(n)}`);
      return `Check-in${rated.length ? ": " + rated.join(", ") : ""}`;
    }
    return `${data.get("amount") || ""} ${data.get("unit") || ""} ${product}`.trim();
  }

  function clock(iso) {
    return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  async function show(message) {
    if (!box || !self.indexedDB) return;
    const waiting = await MitraQueue.mine(account);
    box.replaceChildren();
    if (message) {
      const p = document.createElement("p");
      p.textContent = message;
      box.append(p);
    }
    if (waiting.length) {
      const p = document.createElement("p");
      const count = waiting.length === 1 ? "1 entry is" : `${waiting.length} entries are`;
      p.textContent = `${count} saved on this device and waiting to be sent to Mitra` +
        (navigator.onLine ? "." : " (no connection now; they are sent when it is back).");
      const list = document.createElement("ul");
      for (const item of waiting) {
        const li = document.createElement("li");
        li.textContent = `${item.what}, saved at ${clock(item.queued_at)}` + (item.problem ? ` — ${item.problem}` : "");
        list.append(li);
      }
      box.append(p, list);
    }
    box.hidden = !box.childElementCount;
  }

  async function send() {
    if (!navigator.onLine) return show();
    const { sent, waiting } = await MitraQueue.replay();
    const message = sent ? `Sent ${sent} ${sent === 1 ? "entry" : "entries"} saved while offline.` : "";
    await show(message);
    if (sent && !waiting.length) document.dispatchEvent(new CustomEvent("mitra:sent", { detail: sent }));
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.offline || !self.indexedDB) return;
    if (!form.querySelector("input[name=client_id]")) {
      const id = document.createElement("input");
      id.type = "hidden";
      id.name = "client_id";
      id.value = self.crypto.randomUUID();
      form.append(id);
    }
    if (account && !form.querySelector("input[name=queue_owner]")) {
      const owner = document.createElement("input"); // kept with the entry if it is queued
      owner.type = "hidden";
      owner.name = "queue_owner";
      owner.value = account;
      form.append(owner);
    }
    if (navigator.onLine) return; // posted as usual; the client id makes a retry harmless
    event.preventDefault();
    const fields = [...new FormData(form).entries()].filter(([, v]) => typeof v === "string");
    await MitraQueue.add(MitraQueue.fromFields(form.getAttribute("action"), fields, describe(form)));
    form.querySelector("input[name=client_id]").remove(); // the next save is a new entry
    await show(`Saved on this device: ${describe(form)}. It will be sent when Mitra can be reached.`);
  });

  window.addEventListener("online", send);
  window.addEventListener("offline", () => show());
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data === "mitra:queued") show();
    });
  }
  send();
  setInterval(() => { if (navigator.onLine) MitraQueue.mine(account).then((w) => w.length && send()); }, 30000);
})();
