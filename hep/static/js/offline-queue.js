// Check-ins made without a connection wait here (IndexedDB) under their client UUID and are
// replayed with the idempotent PUT when the connection returns. One entry per UUID: a later
// change to the same check-in replaces the waiting body, so nothing is sent twice or lost.
// The same database keeps the signed-in patient's last loaded Today, so the app can start
// without a connection; only one user's copy is ever kept, and sign-out deletes it all.

const DB_NAME = "hep-offline";
const STORE = "check-ins";
const DAYS = "days";

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "id" });
      if (!db.objectStoreNames.contains(DAYS)) db.createObjectStore(DAYS, { keyPath: "userId" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * False when the database is known not to exist: merely looking must not create it again
 * after a sign-out deleted it.
 */
async function exists() {
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases()).some((d) => d.name === DB_NAME);
}

async function tx(mode, work, storeName = STORE) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const t = db.transaction(storeName, mode);
      const store = t.objectStore(storeName);
      let result;
      Promise.resolve(work(store)).then((r) => (result = r), reject);
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

function requestResult(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function announce() {
  window.dispatchEvent(new CustomEvent("hep:queue"));
}

/** Queue (or replace) the body of check-in `id` for user `userId`. */
export async function enqueue(id, body, userId) {
  await tx("readwrite", (store) =>
    store.put({ id, body, userId, queuedAt: Date.now() }),
  );
  announce();
}

export async function remove(id) {
  await tx("readwrite", (store) => store.delete(id));
  announce();
}

/** Waiting entries, oldest first; only one user's if `userId` is given. */
export async function pending(userId) {
  const all = await tx("readonly", (store) => requestResult(store.getAll()));
  return all
    .filter((e) => !userId || e.userId === userId)
    .sort((a, b) => a.queuedAt - b.queuedAt);
}

let running = null;

/**
 * Replay the user's waiting check-ins once each. `send(id, body)` resolves on success and
 * rejects with the API's error. Stops at the first sign of no network, no session (401, the
 * queue waits for sign-in) or a server fault; drops entries the server refuses for good.
 * Concurrent calls share one run; other tabs are kept out by a Web Lock where there is one.
 */
export function flush(userId, send) {
  if (!running) {
    const run = () => replay(userId, send);
    running = (navigator.locks ? navigator.locks.request("hep-offline-flush", run) : run())
      .finally(() => {
        running = null;
      });
  }
  return running;
}

async function replay(userId, send) {
  const result = { sent: 0, dropped: [], stopped: null };
  for (const entry of await pending(userId)) {
    try {
      await send(entry.id, entry.body);
      result.sent += 1;
      await remove(entry.id);
    } catch (error) {
      const status = error && error.status;
      if (!status || status === 401 || status === 429 || status >= 500) {
        result.stopped = status || "offline";
        break;
      }
      // 409 outside the edit window, 410 deleted meanwhile, 422 refused: retrying cannot help
      result.dropped.push({ entry, error });
      await remove(entry.id);
    }
  }
  return result;
}

// --- the last loaded Today ------------------------------------------------------------------

/**
 * Keep `user`'s day (the /api/today answer and that day's check-ins, loaded at `savedAt`),
 * replacing whatever was kept before, for this user or anyone else.
 */
export async function saveDay(user, day, data, savedAt) {
  await tx(
    "readwrite",
    (store) => {
      store.clear();
      store.put({ userId: user.id, user, day, savedAt, ...data });
    },
    DAYS,
  );
}

/** The kept copy, if it belongs to `userId` (any user's if none is given), else null. */
export async function savedDay(userId) {
  if (!(await exists())) return null;
  const all = await tx("readonly", (store) => requestResult(store.getAll()), DAYS);
  return all.find((entry) => !userId || entry.userId === userId) || null;
}

/** Apply `change` to the check-ins of the kept copy of `userId`'s `day`, if that is the one. */
export async function updateSavedDay(userId, day, change) {
  await tx(
    "readwrite",
    async (store) => {
      const entry = await requestResult(store.get(userId));
      if (entry && entry.day === day) store.put({ ...entry, checkIns: change(entry.checkIns) });
    },
    DAYS,
  );
}

/** Drop the kept copies of everyone but `userId` (all of them when nobody is signed in). */
export async function keepSavedDays(userId) {
  if (!(await exists())) return;
  await tx(
    "readwrite",
    async (store) => {
      for (const key of await requestResult(store.getAllKeys())) {
        if (key !== userId) store.delete(key);
      }
    },
    DAYS,
  );
}

/**
 * Delete the queue and the kept day (sign-out). Silent: a listener reading the queue would
 * create it again.
 */
export async function wipe() {
  await new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}
