import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { clearToken, getToken } from "./token";

/** Component schemas of the backend's OpenAPI document. */
export type Schemas = components["schemas"];
export type UserPublic = Schemas["UserPublic"];
export type LoginRequest = Schemas["LoginRequest"];
export type LoginResponse = Schemas["LoginResponse"];
export type Meta = Schemas["Meta"];
export type AccountSummary = Schemas["AccountSummary"];
export type AccountsPage = Schemas["AccountsPage"];
export type AccountDetail = Schemas["AccountDetail"];
export type Problem = Schemas["Problem"];
export type DataSource = Schemas["DataSourcePublic"];
export type UnmatchedRecord = Schemas["UnmatchedRecordPublic"];
export type UnmatchedPage = Schemas["UnmatchedPage"];
export type LinkResult = Schemas["AliasCreated"];
export type UnmatchedStatus = Schemas["UnmatchedStatus"];
export type Rejection = Schemas["RejectionPublic"];
export type RejectionPage = Schemas["RejectionPage"];
export type ItemError = Schemas["ItemError"];
export type Connectors = Schemas["Connectors"];
export type ImportPreset = Schemas["PresetPublic"];
export type ImportKindFields = Schemas["KindFields"];
export type ImportField = Schemas["FieldInfo"];
export type ImportPreview = Schemas["ImportPreview"];
export type ImportReport = Schemas["ImportReport"];
export type ImportPreviewBody = Schemas["Body_previewImport"];
export type ImportRunBody = Schemas["Body_runImport"];
export type ImportDetectBody = Schemas["Body_detectImport"];
export type ImportDetected = Schemas["ImportDetected"];

/**
 * Endpoints where a 401 is an answer for the form (bad credentials), not an
 * expired session. Matched against openapi-fetch's `schemaPath`.
 */
const NO_SESSION_PATHS = new Set<string>(["/api/v1/auth/login"]);

type UnauthorizedHandler = () => void;

function defaultUnauthorizedHandler(): void {
  if (window.location.pathname === "/login") return;
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/login?redirect=${encodeURIComponent(here)}`);
}

let unauthorizedHandler: UnauthorizedHandler = defaultUnauthorizedHandler;

/**
 * Replace what happens after a 401 (the token has already been cleared).
 * The app installs a router-aware handler; returns a function restoring the default.
 */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): () => void {
  unauthorizedHandler = handler;
  return () => {
    unauthorizedHandler = defaultUnauthorizedHandler;
  };
}

export const authMiddleware: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token && !request.headers.has("Authorization")) {
      request.headers.set("Authorization", `Bearer ${token}`);
    }
    return request;
  },
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && !NO_SESSION_PATHS.has(schemaPath)) {
      clearToken();
      unauthorizedHandler();
    }
    return response;
  },
};

/** Same-origin in production; the Vite dev server proxies /api to the backend. */
const baseUrl = typeof window === "undefined" ? "" : window.location.origin;

/**
 * The one typed API client. Every call to the backend goes through it.
 * `fetch` is resolved at call time so tests can stub `globalThis.fetch`.
 * Responses are typed by their `application/json` content; other media types (the NDJSON
 * stream of `import:run`) are read raw with `parseAs: "stream"`.
 */
export const api = createClient<paths, "application/json">({
  baseUrl,
  fetch: (request) => globalThis.fetch(request),
});

api.use(authMiddleware);
