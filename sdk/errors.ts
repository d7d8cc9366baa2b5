/** The error envelope every Tessera route answers with (docs/errors.md), and the error the SDK throws. */
export interface ErrorBody { error: { code: string; message: string; request_id: string; field?: string } }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** A code from docs/errors.md, or NETWORK_ERROR / HTTP_<status> when the answer was not the envelope. */
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    /** The input field the error is about (VALIDATION_ERROR, CONFLICT), when it is about one. */
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  /** The route does not exist on this server (an older server, or a feature not built yet). */
  get routeMissing(): boolean { return this.code === 'ROUTE_NOT_FOUND'; }

  /** From a failed answer: its envelope when it has one, else HTTP_<status>. */
  static from(status: number, body: unknown, statusText = ''): ApiError {
    if (isErrorBody(body)) return new ApiError(status, body.error.code, body.error.message, body.error.request_id ?? null, body.error.field ?? null);
    return new ApiError(status, `HTTP_${status}`, `the server answered ${status} ${statusText}`.trim());
  }
}

export const isErrorBody = (b: unknown): b is ErrorBody => {
  const e = (b as { error?: unknown } | null)?.error as ErrorBody['error'] | undefined;
  return typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.message === 'string';
};
