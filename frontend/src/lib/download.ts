import type { ParamsOption } from "openapi-fetch";
import { api } from "../api/client";
import { toApiError } from "../api/errors";
import type { paths } from "../api/schema";

/** The API's paths that answer GET. */
type GetPath = { [P in keyof paths]: paths[P]["get"] extends never ? never : P }[keyof paths];

/** What `api.GET` takes as `params` for `P` (path and query parameters). */
type GetParams<P extends GetPath> = ParamsOption<paths[P]["get"]>["params"];

/** `api.GET` for a path only known as a type parameter, answering with the raw file. */
const getBlob = api.GET as unknown as (
  path: string,
  init: { params?: unknown; parseAs: "blob" },
) => Promise<{ data?: Blob; error?: unknown; response: Response }>;

/** The file name of a `Content-Disposition: attachment; filename="…"` header, if it has one. */
export function attachmentName(disposition: string | null): string | null {
  return /filename="([^"]+)"/.exec(disposition ?? "")?.[1] ?? null;
}

/** Hand `blob` to the browser as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Download a file the API answers at `path`, through the API client so the session's bearer
 * token goes with it (a plain link would carry none). The file is saved under the name the
 * server gives it, else `fallbackName`. A non-2xx answer throws its ApiError (the problem's
 * message) and saves nothing.
 */
export async function downloadFile<P extends GetPath>(
  path: P,
  params: GetParams<P>,
  fallbackName: string,
): Promise<void> {
  const { data, error, response } = await getBlob(path, { params, parseAs: "blob" });
  if (error !== undefined || !response.ok || !data) throw toApiError(response, error);
  saveBlob(data, attachmentName(response.headers.get("content-disposition")) ?? fallbackName);
}
