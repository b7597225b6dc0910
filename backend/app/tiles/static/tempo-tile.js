/*
 * <tempo-tile>: a Tempo tile on another site (/embed/static/tempo-tile.js).
 *
 *   <script src="https://tempo.example.com/embed/static/tempo-tile.js"></script>
 *   <tempo-tile kind="health" account="…" config="…" theme="auto"></tempo-tile>
 *   <script>document.querySelector("tempo-tile").token = tokenFromYourServer;</script>
 *
 * Attributes: kind, account, config, theme, accent, font, radius, background, src (Tempo's
 * base URL; by default the one this script was loaded from) and token (or the `token`
 * property, which is not written back into the page).
 *
 * Events (CustomEvent, bubbling out of the element):
 *   tempo-ready           detail {needsToken, state}
 *   tempo-token-expiring  detail {expiresAt}: fetch a new token and set el.token
 *   tempo-navigate        detail {url}: the reader opened the account in Tempo
 */
(() => {
  if (customElements.get("tempo-tile")) return;

  const loadedFrom = document.currentScript?.src || location.href;
  const DEFAULT_BASE = new URL(loadedFrom).origin;
  const FRAME_ATTRIBUTES = [
    "kind",
    "account",
    "config",
    "theme",
    "accent",
    "font",
    "radius",
    "background",
    "src",
  ];
  const THEME_PARAMS = ["theme", "accent", "font", "radius", "background"];
  const STYLE = `
    :host { display: block; min-width: 0; }
    :host([hidden]) { display: none; }
    iframe { display: block; width: 100%; height: 132px; border: 0; background: transparent; color-scheme: normal; }
  `;

  function configFromToken(jwt) {
    try {
      const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const bytes = Uint8Array.from(atob(part + "===".slice((part.length + 3) % 4)), (c) =>
        c.charCodeAt(0),
      );
      const payload = JSON.parse(new TextDecoder().decode(bytes));
      return typeof payload.cfg === "string" ? payload.cfg : null;
    } catch {
      return null;
    }
  }

  function styleFor(shadow) {
    // A constructed stylesheet needs no 'unsafe-inline' in the host's CSP.
    if ("adoptedStyleSheets" in shadow && "replaceSync" in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement("style");
      style.textContent = STYLE;
      shadow.append(style);
    }
  }

  class TempoTile extends HTMLElement {
    static get observedAttributes() {
      return [...FRAME_ATTRIBUTES, "token"];
    }

    #token = null;
    #frame = null;
    #frameOrigin = null;
    #frameHasToken = null;
    #frameReady = false;
    #queued = false;
    #onMessage = (event) => this.#receive(event);

    constructor() {
      super();
      styleFor(this.attachShadow({ mode: "open" }));
    }

    get token() {
      return this.#token;
    }

    set token(value) {
      const next = typeof value === "string" && value ? value : null;
      if (next === this.#token) return;
      this.#token = next;
      if (!next) return;
      if (!this.#frame) this.#queueRender();
      else if (this.#frameReady) this.#sendToken();
      // else: sent when the frame says it is ready
    }

    connectedCallback() {
      window.addEventListener("message", this.#onMessage);
      this.#queueRender();
    }

    disconnectedCallback() {
      window.removeEventListener("message", this.#onMessage);
    }

    attributeChangedCallback(name, oldValue, newValue) {
      if (oldValue === newValue) return;
      if (name === "token") {
        this.token = newValue;
        return;
      }
      if (this.isConnected) this.#queueRender();
    }

    /** Builds the iframe once per batch of attribute changes. */
    #queueRender() {
      if (this.#queued) return;
      this.#queued = true;
      queueMicrotask(() => {
        this.#queued = false;
        if (this.isConnected) this.#render();
      });
    }

    #base() {
      const given = this.getAttribute("src");
      try {
        return new URL(given || DEFAULT_BASE, location.href);
      } catch {
        return null;
      }
    }

    #render() {
      const kind = this.getAttribute("kind");
      const account = this.getAttribute("account");
      const base = this.#base();
      const config = this.getAttribute("config") || (this.#token && configFromToken(this.#token));
      if (!kind || !account || !base || !config) return;

      const prefix = base.href.replace(/[?#].*$/, "").replace(/\/+$/, "");
      const url = new URL(
        `${prefix}/embed/tiles/${encodeURIComponent(kind)}/${encodeURIComponent(account)}`,
      );
      url.searchParams.set("config", config);
      for (const name of THEME_PARAMS) {
        const value = this.getAttribute(name);
        if (value) url.searchParams.set(name, value);
      }
      // The token travels in the fragment: never sent to a server, never in a log.
      if (this.#token) url.hash = `token=${encodeURIComponent(this.#token)}`;

      const frame = document.createElement("iframe");
      frame.title = `Tempo ${kind.replace(/_/g, " ")} tile`;
      frame.setAttribute("referrerpolicy", "strict-origin");
      frame.setAttribute(
        "sandbox",
        "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox",
      );
      if (this.#frame?.style.height) frame.style.height = this.#frame.style.height;
      frame.src = url.href;

      this.#frameOrigin = url.origin;
      this.#frameHasToken = this.#token;
      this.#frameReady = false;
      if (this.#frame) this.#frame.replaceWith(frame);
      else this.shadowRoot.append(frame);
      this.#frame = frame;
    }

    #sendToken() {
      if (!this.#frame?.contentWindow || !this.#token) return;
      this.#frameHasToken = this.#token;
      this.#frame.contentWindow.postMessage(
        { type: "tempo:token", token: this.#token },
        this.#frameOrigin,
      );
    }

    #emit(type, detail) {
      this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
    }

    #receive(event) {
      if (!this.#frame || event.source !== this.#frame.contentWindow) return;
      if (event.origin !== this.#frameOrigin) return;
      const data = event.data;
      if (!data || typeof data !== "object" || typeof data.type !== "string") return;
      switch (data.type) {
        case "tempo:ready": {
          this.#frameReady = true;
          const needsToken = data.needsToken === true;
          if (this.#token && (needsToken || this.#token !== this.#frameHasToken)) {
            this.#sendToken();
          }
          // Waiting for a token this element already has: the tile says ready once drawn.
          if (needsToken && this.#token) break;
          this.#emit("tempo-ready", {
            needsToken,
            state: typeof data.state === "string" ? data.state : null,
          });
          break;
        }
        case "tempo:resize": {
          const height = Number(data.height);
          if (Number.isFinite(height) && height >= 0 && height <= 4000) {
            this.#frame.style.height = `${Math.ceil(height)}px`;
          }
          break;
        }
        case "tempo:token-expiring":
          this.#emit("tempo-token-expiring", {
            expiresAt: typeof data.expiresAt === "string" ? data.expiresAt : null,
          });
          break;
        case "tempo:navigate":
          this.#emit("tempo-navigate", { url: typeof data.url === "string" ? data.url : null });
          break;
        default:
          break;
      }
    }
  }

  customElements.define("tempo-tile", TempoTile);
})();
