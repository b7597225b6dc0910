/** RFC 7807 problem details as the backend sends them (fields may be missing). */
export interface ProblemLike {
  type?: string;
  title?: string;
  status?: number;
  detail?: string | null;
  errors?: { loc?: (string | number)[]; msg?: string }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemLike | null;

  constructor(status: number, problem: ProblemLike | null, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

export function asProblem(body: unknown): ProblemLike | null {
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    // FastAPI's default error shape is {detail: string | [...]}; accept it too.
    if (Array.isArray(b.detail)) {
      return {
        title: typeof b.title === "string" ? b.title : "Validation error",
        errors: b.detail as ProblemLike["errors"],
      };
    }
    return b as ProblemLike;
  }
  return null;
}

const STATUS_FALLBACK: Record<number, string> = {
  401: "Your session has ended. Please sign in again.",
  403: "You don't have access to this.",
  404: "Not found.",
  429: "Too many attempts. Wait a moment and try again.",
};

export function problemMessage(status: number, problem: ProblemLike | null): string {
  if (problem?.detail) return problem.detail;
  const first = problem?.errors?.[0];
  if (first?.msg) {
    const field = first.loc?.filter((p) => p !== "body" && p !== "query").join(".");
    return field ? `${field}: ${first.msg}` : first.msg;
  }
  if (problem?.title && problem.title !== "about:blank") return problem.title;
  return STATUS_FALLBACK[status] ?? `The server answered with an error (HTTP ${status}).`;
}

export function toApiError(response: Response, body: unknown): ApiError {
  const problem = asProblem(body);
  return new ApiError(response.status, problem, problemMessage(response.status, problem));
}

/** Throw an ApiError for non-2xx answers from openapi-fetch, return the data otherwise. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw toApiError(response, error);
  return data as T;
}

/** fetch() rejects with a TypeError whose message differs per browser. */
function isNetworkError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /failed to fetch|networkerror|load failed|fetch failed|network request failed/i.test(
      error.message,
    )
  );
}

/** A user-facing sentence for any error thrown by a query or mutation. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (isNetworkError(error)) {
    return "Can't reach the Tempo server. Check your connection and try again.";
  }
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
