/*
 * Tempo tile: the script of the document an iframe shows (/embed/static/tile.js).
 *
 * The document carries the tile's kind and account (data-kind, data-account on <html>), the
 * theme (data-theme, data-accent, data-font, data-radius, data-background), in shell mode the
 * embed configuration's allowed host origins (data-origins), and, when the server had it,
 * the tile itself as JSON in <script type="application/json" id="tempo-tile-data">.
 *
 * The token comes from the URL's fragment (#token=...) or from the parent page
 * ({type: "tempo:token", token}). Messages to the parent go only to its origin, and only when
 * that origin is one the token (or, before there is a token, the configuration) allows.
 *
 * Messages posted to the parent:
 *   tempo:ready {needsToken, state}     waiting for a token (needsToken: true), then once the
 *                                       tile settles in its first state (ok, no-data, expired,
 *                                       error)
 *   tempo:resize {height}               the document's height in CSS pixels, on every change
 *   tempo:token-expiring {expiresAt}    about a minute before the token's exp (ISO 8601), at
 *                                       once if less is left or it came already expired
 *   tempo:navigate {url}                the reader opened the tile's link (in a new tab)
 *
 * States (data-state on <html>): loading, ok, no-data, expired, forbidden, error.
 */
(() => {
  const root = document.documentElement;
  const mount = document.getElementById("tempo-root");
  const scriptSrc = document.currentScript?.src || `${location.origin}/embed/static/tile.js`;

  const SVG_NS = "http://www.w3.org/2000/svg";
  const HEX = /^#[0-9a-fA-F]{6}$/;
  const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
  const KINDS = ["health", "quadrant", "renewal", "usage_trend"];
  const THEMES = ["light", "dark", "auto"];
  const BANDS = { healthy: "Healthy", watch: "Watch", at_risk: "At risk" };
  const FONTS = {
    system: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    sans: "'Helvetica Neue', Arial, sans-serif",
    serif: "Georgia, 'Times New Roman', serif",
    mono: "ui-monospace, 'SFMono-Regular', Menlo, monospace",
  };
  // how long before expiry the host hears tempo:token-expiring (TEMPO_EMBED_REFRESH_NOTICE_SECONDS)
  const WARN_BEFORE_MS = (Number(document.documentElement.dataset.refreshNotice) || 60) * 1000;
  // Tokens shorter than the warning would be warned about the moment they arrive, and a host
  // that refreshes on each warning would spin: warnings are this far apart at least (or half
  // the token's life, when that is shorter).
  const WARN_GAP_MS = 5_000;
  const MAX_TIMER_MS = 2_147_483_647;
  const EXPIRED_TEXT = "This view has expired — the page that shows it needs to refresh it.";

  const kind = root.dataset.kind || "";
  const account = root.dataset.account || "";
  const framed = window.parent !== window;
  const parentOrigin = framed ? findParentOrigin() : null;
  const configOrigins = (root.dataset.origins || "").split(/\s+/).filter(Boolean);

  let token = null;
  let claims = null;
  let warned = false;
  let lastWarnAt = 0;
  let warnTimer = 0;
  let expireTimer = 0;
  let fetchSeq = 0;
  let clockOffset = 0;
  let readyPosted = false;
  let lastHeight = -1;

  // ---- where the parent is, and whether it may see this tile ---------------------------

  function findParentOrigin() {
    try {
      const ancestors = location.ancestorOrigins;
      if (ancestors && ancestors.length > 0 && ancestors[0] !== "null") return ancestors[0];
    } catch {
      // not available in this browser: fall back on the referrer
    }
    if (document.referrer) {
      try {
        return new URL(document.referrer).origin;
      } catch {
        return null;
      }
    }
    return null;
  }

  function allowedOrigins() {
    return claims ? claims.origins : configOrigins;
  }

  /** The origin to post to, or null when the parent is not one this view is allowed on. */
  function targetOrigin() {
    if (!framed) return null;
    const allowed = allowedOrigins();
    if (parentOrigin) return allowed.includes(parentOrigin) ? parentOrigin : null;
    // The parent could not be identified (no ancestorOrigins, referrer withheld): with a
    // single allowed origin, postMessage itself delivers only if the parent is that origin.
    return allowed.length === 1 ? allowed[0] : null;
  }

  function post(type, fields) {
    const origin = targetOrigin();
    if (!origin) return;
    window.parent.postMessage({ type, ...fields }, origin);
  }

  /** False (and the "not allowed" state shown) when framed by a page that is not allowed. */
  function originAllowed() {
    if (!framed || targetOrigin()) return true;
    showForbidden();
    return false;
  }

  // ---- the token ------------------------------------------------------------------------

  function decodeClaims(jwt) {
    const parts = typeof jwt === "string" ? jwt.split(".") : [];
    if (parts.length !== 3) return null;
    try {
      const b64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
      const padded = b64 + "===".slice((b64.length + 3) % 4);
      const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
      const payload = JSON.parse(new TextDecoder().decode(bytes));
      if (!payload || typeof payload.exp !== "number") return null;
      const origins = Array.isArray(payload.origins)
        ? payload.origins.filter((o) => typeof o === "string")
        : [];
      return { exp: payload.exp, origins };
    } catch {
      return null;
    }
  }

  function tokenFromFragment() {
    if (!location.hash) return null;
    const params = new URLSearchParams(location.hash.slice(1));
    const found = params.get("token");
    if (found !== null) {
      // Keep the token out of the URL (history, copied links, error reports).
      params.delete("token");
      const rest = params.toString();
      history.replaceState(
        null,
        "",
        `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`,
      );
    }
    return found;
  }

  function now() {
    return Date.now() + clockOffset;
  }

  function clearTimers() {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
  }

  function schedule() {
    clearTimers();
    if (!claims) return;
    const expiresAt = claims.exp * 1000;
    const left = expiresAt - now();
    if (left <= 0) {
      showExpired();
      return;
    }
    if (!warned) {
      let delay = Math.max(0, left - WARN_BEFORE_MS);
      const sinceLast = Date.now() - lastWarnAt;
      if (sinceLast < WARN_GAP_MS)
        delay = Math.max(delay, Math.min(WARN_GAP_MS - sinceLast, left / 2));
      warnTimer = setTimeout(
        () => {
          warned = true;
          lastWarnAt = Date.now();
          post("tempo:token-expiring", { expiresAt: new Date(expiresAt).toISOString() });
        },
        Math.min(delay, MAX_TIMER_MS),
      );
    }
    expireTimer = setTimeout(
      () => (now() >= expiresAt ? showExpired() : schedule()),
      Math.min(left, MAX_TIMER_MS),
    );
  }

  /** Takes a token (from the fragment or the parent); false when it cannot be used. */
  function takeToken(jwt) {
    const read = decodeClaims(jwt);
    if (!read) {
      showMessage("error", "This view could not be opened.", "Its access token is not readable.");
      return false;
    }
    token = jwt;
    claims = read;
    warned = false;
    if (!originAllowed()) return false;
    if (claims.exp * 1000 <= now()) {
      // Already expired when it arrived: tell the host, whose refresh brings a new one.
      if (Date.now() - lastWarnAt >= WARN_GAP_MS) {
        lastWarnAt = Date.now();
        post("tempo:token-expiring", { expiresAt: new Date(claims.exp * 1000).toISOString() });
      }
      showExpired();
      return false;
    }
    schedule();
    return true;
  }

  /** The server's clock from a response's Date header: only a gap of seconds is corrected. */
  function noteClock(dateHeader) {
    const server = Date.parse(dateHeader || "");
    if (Number.isNaN(server)) return;
    const offset = server - Date.now();
    const next = Math.abs(offset) > 5_000 ? offset : 0;
    if (next !== clockOffset) {
      clockOffset = next;
      schedule();
    }
  }

  // ---- fetching -------------------------------------------------------------------------

  function tileUrl() {
    const path = `../tiles/${encodeURIComponent(kind)}/${encodeURIComponent(account)}?format=json`;
    return new URL(path, scriptSrc).href;
  }

  async function load() {
    const seq = ++fetchSeq;
    if (root.dataset.state !== "ok" && root.dataset.state !== "no-data") showLoading();
    let response;
    try {
      response = await fetch(tileUrl(), {
        headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
        cache: "no-store",
        credentials: "omit",
      });
    } catch {
      if (seq === fetchSeq) showError();
      return;
    }
    if (seq !== fetchSeq) return;
    noteClock(response.headers.get("Date"));
    if (response.status === 401) {
      // Refused: expired, or revoked, paused, signed with a retired key. The remedy is the
      // same (a new token from the host), so the state is the same; the reason is shown
      // when it is not the clock.
      const problem = await response.json().catch(() => null);
      if (seq !== fetchSeq) return;
      const why =
        problem && problem.title !== "Embed token expired" && typeof problem.detail === "string"
          ? problem.detail
          : null;
      showExpired(why);
      return;
    }
    if (response.status === 403) {
      showMessage(
        "forbidden",
        "This tile is not available here.",
        "Its access does not cover this account or this kind of tile.",
      );
      return;
    }
    if (!response.ok) {
      showError();
      return;
    }
    let tile;
    try {
      tile = await response.json();
    } catch {
      if (seq === fetchSeq) showError();
      return;
    }
    if (seq === fetchSeq) renderTile(tile);
  }

  // ---- the theme ------------------------------------------------------------------------

  function applyTheme() {
    const data = root.dataset;
    const theme = THEMES.includes(data.theme) ? data.theme : "auto";
    root.dataset.theme = theme;
    const font = Object.hasOwn(FONTS, data.font || "") ? data.font : "system";
    root.dataset.font = font;
    root.style.setProperty("--tempo-font", FONTS[font]);
    const radius = /^\d{1,2}$/.test(data.radius || "") ? Number(data.radius) : 8;
    root.style.setProperty("--tempo-radius", `${radius <= 24 ? radius : 8}px`);
    if (HEX.test(data.accent || "")) root.style.setProperty("--tempo-accent", data.accent);
    if (HEX.test(data.background || "")) {
      root.style.setProperty("--tempo-background", data.background);
    }
  }

  // ---- rendering ------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** The state on <html>; the first one the tile settles in (anything but loading or a
   * parent it may not talk to) is announced with tempo:ready. */
  function setState(state) {
    root.dataset.state = state;
    if (!readyPosted && state !== "loading" && state !== "forbidden") {
      readyPosted = true;
      post("tempo:ready", { needsToken: false, state });
    }
  }

  function sparkline(trend) {
    const width = 120;
    const height = 36;
    const pad = 3;
    const points = Array.isArray(trend) ? trend : [];
    const day = (p) => Date.parse(p?.date ?? "");
    const measured = [];
    for (const p of points) {
      if (p && typeof p.value === "number" && Number.isFinite(p.value))
        measured.push([day(p), p.value]);
    }
    if (measured.length === 0) return null;
    const values = measured.map(([, v]) => v);
    const low = Math.min(...values);
    const high = Math.max(...values);
    // A point sits at its date's place: a gap in the days shows as a longer segment.
    const first = day(points[0]);
    const span = day(points[points.length - 1]) - first;
    const byDate = span > 0 && measured.every(([d]) => Number.isFinite(d));
    const coords = measured.map(([d, v], i) => {
      let x = width / 2;
      if (measured.length > 1) {
        const share = byDate ? (d - first) / span : i / (measured.length - 1);
        x = pad + (width - 2 * pad) * share;
      }
      const y =
        high === low ? height / 2 : pad + (height - 2 * pad) * (1 - (v - low) / (high - low));
      return [x, y];
    });
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "tile__spark");
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("role", "img");
    const from = Math.round(values[0]);
    const to = Math.round(values[values.length - 1]);
    svg.setAttribute(
      "aria-label",
      measured.length > 1 ? `Trend from ${from} to ${to}` : `One value: ${to}`,
    );
    if (coords.length > 1) {
      const line = document.createElementNS(SVG_NS, "polyline");
      line.setAttribute("class", "tile__line");
      line.setAttribute(
        "points",
        coords.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "),
      );
      svg.append(line);
    }
    const [lx, ly] = coords[coords.length - 1];
    const dot = document.createElementNS(SVG_NS, "circle");
    dot.setAttribute("class", "tile__last");
    dot.setAttribute("cx", lx.toFixed(1));
    dot.setAttribute("cy", ly.toFixed(1));
    dot.setAttribute("r", "2.5");
    svg.append(dot);
    return svg;
  }

  function webLink(link) {
    if (typeof link !== "string") return null;
    try {
      const url = new URL(link);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function computedText(computedAt) {
    const when = typeof computedAt === "string" ? new Date(computedAt) : null;
    if (!when || Number.isNaN(when.getTime())) return ["Not computed yet", null];
    const text = new Intl.DateTimeFormat(undefined, {
      dateStyle: "medium",
      timeStyle: "short",
    }).format(when);
    return [`Computed ${text}`, when.toISOString()];
  }

  function renderTile(tile) {
    if (!tile || typeof tile !== "object" || typeof tile.title !== "string") {
      showError();
      return;
    }
    const article = el("article", "tile");
    article.setAttribute("aria-label", `${tile.title}: ${tile.display ?? ""}`);
    if (typeof tile.band === "string" && Object.hasOwn(BANDS, tile.band)) {
      article.dataset.band = tile.band;
    }
    if (HEX.test(tile.color || "")) article.style.setProperty("--tempo-band", tile.color);

    const head = el("header", "tile__head");
    head.append(el("span", "tile__title", tile.title));
    if (tile.account && typeof tile.account.name === "string") {
      const name = el("span", "tile__account", tile.account.name);
      name.title = tile.account.name;
      head.append(name);
    }
    if (typeof tile.band === "string" && tile.band) {
      const band = el("span", "tile__band");
      band.append(el("span", "tile__dot"));
      band.append(BANDS[tile.band] || tile.band.replace(/_/g, " "));
      head.append(band);
    }

    const main = el("div", "tile__main");
    const figure = el("p", "tile__figure");
    const display = String(tile.display ?? "—");
    // Words (a quadrant's name) read better smaller than numbers.
    const long = display.length > 8 ? " tile__value--long" : "";
    figure.append(el("span", `tile__value${long}`, display));
    if (typeof tile.unit === "string" && tile.unit)
      figure.append(el("span", "tile__unit", tile.unit));
    main.append(figure);
    const spark = sparkline(tile.trend);
    if (spark) main.append(spark);

    const reason = el("p", "tile__reason", tile.reason ?? "");

    const foot = el("footer", "tile__foot");
    const [computed, iso] = computedText(tile.computed_at);
    const time = el("time", "tile__time", computed);
    if (iso) time.dateTime = iso;
    foot.append(time);
    const href = webLink(tile.link);
    if (href) {
      const link = el("a", "tile__link", "Open in Tempo ↗");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.addEventListener("click", () => post("tempo:navigate", { url: href }));
      foot.append(link);
    }

    article.append(head, main, reason, foot);
    mount.replaceChildren(article);
    setState(tile.state === "no_data" ? "no-data" : "ok");
  }

  function showMessage(state, title, text, retry) {
    const box = el("div", "message");
    box.dataset.kind = state;
    box.setAttribute("role", state === "loading" ? "status" : "alert");
    box.append(el("p", "message__title", title));
    if (text) box.append(el("p", "message__text", text));
    if (retry) {
      const button = el("button", "message__retry", "Try again");
      button.type = "button";
      button.addEventListener("click", retry);
      box.append(button);
    }
    mount.replaceChildren(box);
    setState(state);
  }

  function showLoading(waiting) {
    showMessage("loading", waiting ? "Waiting for access…" : "Loading…");
  }

  function showExpired(why) {
    clearTimers();
    fetchSeq++;
    showMessage("expired", EXPIRED_TEXT, why || null);
  }

  function showForbidden() {
    clearTimers();
    fetchSeq++;
    showMessage(
      "forbidden",
      "This tile is not allowed on this site.",
      parentOrigin
        ? `${parentOrigin} is not one of the sites this view was issued for.`
        : "The page that shows it could not be identified.",
    );
  }

  function showError() {
    showMessage(
      "error",
      "The tile could not be loaded.",
      "Tempo did not answer as expected.",
      () => (token ? load() : location.reload()),
    );
  }

  // ---- size -------------------------------------------------------------------------------

  function reportHeight() {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    post("tempo:resize", { height });
  }

  // ---- messages from the parent -----------------------------------------------------------

  window.addEventListener("message", (event) => {
    if (!framed || event.source !== window.parent) return;
    if (!allowedOrigins().includes(event.origin)) return;
    const data = event.data;
    if (!data || typeof data !== "object" || data.type !== "tempo:token") return;
    if (typeof data.token !== "string" || data.token === token) return;
    if (takeToken(data.token)) load();
  });

  // A host that swaps the iframe's fragment (#token=...) instead of posting the token.
  window.addEventListener("hashchange", () => {
    const fresh = tokenFromFragment();
    if (fresh && fresh !== token && takeToken(fresh)) load();
  });

  // Timers of hidden pages are throttled: check the expiry again when the page shows.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && claims && root.dataset.state !== "expired") {
      if (now() >= claims.exp * 1000) showExpired();
    }
  });

  // ---- start ------------------------------------------------------------------------------

  function readEmbeddedTile() {
    const block = document.getElementById("tempo-tile-data");
    if (!block) return null;
    try {
      return JSON.parse(block.textContent || "null");
    } catch {
      return null;
    }
  }

  function start() {
    applyTheme();
    if ("ResizeObserver" in window) {
      const observer = new ResizeObserver(reportHeight);
      observer.observe(root);
      observer.observe(document.body);
    } else {
      window.addEventListener("resize", reportHeight);
    }

    if (!KINDS.includes(kind) || !UUID.test(account)) {
      showMessage("error", "The tile could not be loaded.", "Its address is not complete.");
      return;
    }
    const fromFragment = tokenFromFragment();
    const embedded = readEmbeddedTile();

    if (fromFragment) {
      if (!takeToken(fromFragment)) return;
      if (embedded) renderTile(embedded);
      else load();
      return;
    }
    if (!originAllowed()) return;
    if (embedded) {
      renderTile(embedded);
      return;
    }
    // Handshake: the parent sends the token once it knows this document is listening.
    showLoading(true);
    post("tempo:ready", { needsToken: true, state: "loading" });
  }

  start();
})();
