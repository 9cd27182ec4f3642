// The one way the app talks to the hep API: JSON in and out (a FormData body goes as an
// upload), the CSRF header on every write,
// the error envelope turned into an ApiError, and a 401 announced so the app can ask to sign in.

import { t } from "./i18n.js";

const SOMETHING_WRONG = "common.something_went_wrong_try_again";

function sentences(messages) {
  if (Array.isArray(messages)) return messages.flatMap(sentences);
  if (messages && typeof messages === "object") return Object.values(messages).flatMap(sentences);
  return [String(messages)];
}

/**
 * A refusal from the server. Its message says what is wrong in the fields' own words when the
 * server named fields (a toast then reads "Amount: at most 24 hours in a day."), else the
 * server's sentence; `summary` is the server's sentence for the whole.
 */
export class ApiError extends Error {
  constructor(status, body) {
    const fields = (body && body.errors) || {};
    const summary = (body && body.message) || t(SOMETHING_WRONG);
    const said = sentences(fields);
    super(said.length ? [...new Set(said)].join(" ") : summary);
    this.status = status;
    this.fields = fields;
    this.summary = summary;
    this.requestId = body && body.request_id;
  }
}

/** The request never reached the server (offline, DNS, connection reset). */
export class NetworkError extends Error {
  constructor() {
    super(t("api.you_seem_to_be_offline"));
    this.offline = true;
  }
}

const WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Sends a request; resolves to {status, data, response}. Throws ApiError or NetworkError. */
export async function request(method, path, body, { quiet401 = false } = {}) {
  const headers = { Accept: "application/json" };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (WRITE.has(method)) {
    headers["X-HEP-CSRF"] = "1";
    if (body instanceof FormData) {
      init.body = body; // an upload: the browser writes the multipart type and boundary
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new NetworkError();
  }
  let data = null;
  if (response.status !== 204) {
    const type = response.headers.get("Content-Type") || "";
    data = type.includes("json") ? await response.json().catch(() => null) : null;
  }
  if (!response.ok) {
    if (response.status === 401 && !quiet401) {
      window.dispatchEvent(new CustomEvent("hep:unauthorized"));
    }
    const error = new ApiError(response.status, data);
    error.retryAfter = Number(response.headers.get("Retry-After")) || null;
    throw error;
  }
  return { status: response.status, data, response };
}

export const api = {
  get: (path, opts) => request("GET", path, undefined, opts).then((r) => r.data),
  post: (path, body, opts) => request("POST", path, body, opts).then((r) => r.data),
  put: (path, body, opts) => request("PUT", path, body, opts).then((r) => r.data),
  patch: (path, body, opts) => request("PATCH", path, body, opts).then((r) => r.data),
  del: (path, body, opts) => request("DELETE", path, body, opts).then((r) => r.data),
};

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") q.set(key, value);
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** True when the server does not have this endpoint (yet): 404 or 405 on a known path. */
export function isMissingEndpoint(error) {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}
