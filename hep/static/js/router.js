// A hash router: "#/patients/abc" → the route "/patients/:id". The hash keeps invite codes and
// ids out of server logs and lets the service worker serve one shell for every screen.

export function compile(pattern) {
  const names = [];
  const source = pattern
    .split("/")
    .map((part) => {
      if (part.startsWith(":")) {
        const optional = part.endsWith("?");
        names.push(part.slice(1).replace("?", ""));
        return optional ? "(?:/([^/]+))?" : "/([^/]+)";
      }
      return part ? `/${part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}` : "";
    })
    .join("");
  return { regex: new RegExp(`^${source || "/"}/?$`), names };
}

export function currentPath() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, search = ""] = raw.split("?");
  return { path: path || "/", query: new URLSearchParams(search) };
}

export function navigate(path, { replace = false } = {}) {
  const target = `#${path}`;
  if (location.hash === target) {
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else if (replace) {
    history.replaceState(null, "", target);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    location.hash = target;
  }
}

/**
 * routes: [{path: "/patients/:id", view: async (ctx) => Element, roles?, title}]
 * resolve(route) may answer a redirect path (auth and role guards live in the app).
 */
export function createRouter({ routes, resolve, mount, notFound }) {
  const table = routes.map((r) => ({ ...r, ...compile(r.path) }));
  let generation = 0;

  async function handle() {
    const mine = ++generation;
    const { path, query } = currentPath();
    let match = null;
    let params = {};
    for (const candidate of table) {
      const found = candidate.regex.exec(path);
      if (found) {
        match = candidate;
        params = Object.fromEntries(
          candidate.names.map((n, i) => [n, found[i + 1] && decodeURIComponent(found[i + 1])]),
        );
        break;
      }
    }
    if (!match) {
      mount(notFound(), { title: "route.not_found" });
      return;
    }
    const redirect = await resolve(match, path);
    if (mine !== generation) return;
    if (redirect && redirect !== path) {
      navigate(redirect, { replace: true });
      return;
    }
    const ctx = { params, query, path, isCurrent: () => mine === generation };
    try {
      const element = await match.view(ctx);
      // a later navigation won the race: do not paint over it
      if (mine !== generation) return;
      mount(element, { title: match.title, path });
    } catch (error) {
      if (mine !== generation) return;
      mount(null, { title: match.title, path, error });
    }
  }

  window.addEventListener("hashchange", handle);
  return { handle };
}
