/**
 * Bodies of the compat faces: FileBin clients and Meeseeks's `/message` post fields as multipart/form-data
 * (`curl -F`) or urlencoded forms; Query and Semaphore read every body as JSON (`jsonWhateverTheType`).
 *
 * Multipart is parsed here, as a content-type parser of the route's scope, rather than with @fastify/multipart's
 * `attachFieldsToBody`: that option fills the body in a preValidation hook of this scope, which runs *after* the
 * global authentication hook — so the `apikey` field would not be seen. A content-type parser runs before every
 * preValidation hook. The body is read as one buffer (so the server's body limit applies) and split by the platform's
 * own multipart reader (undici's `Response.formData`). File parts are ignored: no /user endpoint takes a file.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TesseraError } from '../../core/errors.js';

export type Fields = Record<string, unknown>;

export const registerMultipart = (app: FastifyInstance): void => {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, async (req: FastifyRequest, body: Buffer) => {
    let form: FormData;
    try {
      form = await new Response(body as unknown as BodyInit, { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
    } catch {
      throw new TesseraError('VALIDATION_ERROR', 'the multipart body could not be parsed');
    }
    const fields = new Map<string, string>();
    // A repeated field keeps its last value, as PHP's $_POST does.
    for (const [k, v] of form.entries()) if (typeof v === 'string') fields.set(k, v);
    // fromEntries defines own properties, so a field named __proto__ cannot change the object's prototype.
    return Object.fromEntries(fields);
  });
};

/**
 * Bodies read as JSON whatever their content type, as Query (axum) and Semaphore (Go's `json.NewDecoder(r.Body)`)
 * read them: `curl -d '{…}'` sends `application/x-www-form-urlencoded`, and a form parser would turn the JSON into one
 * odd field name — a token made without the expiry it was asked for. An empty body is none.
 */
export const jsonWhateverTheType = (app: FastifyInstance): void => {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => (body === '' ? done(null, undefined) : parseJson(req, body as string, done)));
};

/** One POST field as a string: the last value of a repeated urlencoded field; undefined when absent. */
export const field = (body: unknown, name: string): string | undefined => {
  if (body === null || typeof body !== 'object' || !Object.hasOwn(body, name)) return undefined;
  const v = (body as Fields)[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return last === undefined || last === null ? undefined : String(last);
};
