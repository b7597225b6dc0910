/**
 * Options for an openapi-fetch call with a `multipart/form-data` body. The generated types
 * describe file parts as strings (`format: binary`), so the typed `body` carries the real
 * values and `bodySerializer` turns them into FormData (the browser sets the boundary).
 * Booleans are sent as "true"/"false"; null/undefined fields are left out.
 */
export function multipart<Body>(
  fields: Record<string, string | boolean | Blob | null | undefined>,
) {
  return {
    body: fields as unknown as Body,
    bodySerializer: () => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) {
        if (value === null || value === undefined) continue;
        form.append(name, typeof value === "boolean" ? String(value) : value);
      }
      return form;
    },
  };
}
