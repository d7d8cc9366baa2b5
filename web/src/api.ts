/** The UI's one way to the server: the typed SDK client on the page's own origin, with the session cookie. */
import { ApiError, createTesseraClient, unwrap } from '../../sdk/index.js';

export const api = createTesseraClient();
export { ApiError, unwrap };

/** Any thrown value as an ApiError, so every error is shown the same way. */
export const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'CLIENT_ERROR', e instanceof Error ? e.message : String(e));

/** Which form field an API error is about, read from its message ("body.name must …", "name may be at most …"). */
export const errorField = (e: ApiError, fields: readonly string[]): string | null => {
  if (e.code !== 'VALIDATION_ERROR' && e.code !== 'CONFLICT') return null;
  const m = e.message.toLowerCase();
  for (const f of fields) {
    if (new RegExp(`(^|[^a-z_])(body\\.|querystring\\.|/)?${f}([^a-z_]|$)`).test(m)) return f;
  }
  return null;
};
