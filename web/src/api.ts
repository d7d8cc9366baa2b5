/** The UI's one way to the server: the typed SDK client on the page's own origin, with the session cookie. */
import { ApiError, createTesseraClient, unwrap } from '../../sdk/index.js';

export const api = createTesseraClient();
export { ApiError, unwrap };

/** Any thrown value as an ApiError, so every error is shown the same way. */
export const asApiError = (e: unknown): ApiError =>
  e instanceof ApiError ? e : new ApiError(0, 'CLIENT_ERROR', e instanceof Error ? e.message : String(e));

/** Which of a form's fields an API error is about: the envelope's `field` (its first segment), if the form has it. */
export const errorField = (e: ApiError, fields: readonly string[]): string | null => {
  const f = e.field?.split(/[.[]/, 1)[0];
  return f !== undefined && fields.includes(f) ? f : null;
};
