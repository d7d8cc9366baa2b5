/**
 * Bulk token routes: `POST /api/v1/tokens/batch` (create up to 1,000 tokens at once, all or nothing) and
 * `POST /api/v1/tokens/import` (admins: other products' tokens, keeping their values; issue 17). Both write through
 * `Store.insertTokens`, one transaction per call.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import { IMPORT_BATCH_MAX, IMPORT_FORMATS, type ImportFormat } from '../../../core/import/service.js';
import type { Services } from '../../../core/services.js';
import { BATCH_MAX } from '../../../core/tokens/service.js';
import { errors, TokenWithValueSchema, tokenWithValueOut } from '../../schemas.js';
import { CreateTokenBody, createInput } from './tokens.js';

const AUTH = { auth: 'required' as const };
const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
/**
 * These bodies are larger than a single request's (body_limit_bytes): 1,000 creations or 20,000 exported rows. Bodies
 * are read before the credential is checked (preValidation), so this is also what a stranger may make the server
 * parse on these two routes: kept at 8 MiB.
 */
const BULK_BODY_LIMIT = 8 * 1024 * 1024;

const REASONS = ['MISSING_VALUE', 'INVALID_HASH', 'INVALID_VALUE', 'INVALID_FIELD', 'UNKNOWN_OWNER', 'EXPIRED_IN_SOURCE',
  'DUPLICATE_IN_FILE', 'DUPLICATE_NAME', 'ALREADY_IMPORTED', 'NAME_TAKEN', 'PERMISSION_NOT_HELD'] as const;

export const tokenBulkRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  app.post('/api/v1/tokens/batch', {
    config: AUTH,
    bodyLimit: BULK_BODY_LIMIT,
    schema: {
      tags: ['tokens'], security: SECURITY,
      summary: `Create up to ${BATCH_MAX} tokens at once, all or nothing; their values are in this response only`,
      description: 'Each item follows the rules of POST /api/v1/tokens (who may create what, policy, permissions, the per-user quota counting the batch). '
        + 'The first refused item refuses the whole batch: its index is in the error\'s field (`tokens[3].expires_at`).',
      body: T.Object({ tokens: T.Array(CreateTokenBody, { minItems: 1, maxItems: BATCH_MAX }) }, { additionalProperties: false }),
      response: { 201: T.Object({ tokens: T.Array(TokenWithValueSchema) }), ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const made = await s.tokens.createBatch(req.ctx, req.body.tokens.map(createInput));
    // Serialised here with JSON.stringify (the schema above documents the same shape, which tokenWithValueOut builds exactly):
    // fast-json-stringify's nullable unions cost ~2× as much for 1,000 tokens. Sent as bytes: a string answer is
    // measured (Buffer.byteLength) and then encoded again as it is written, two passes over ~570 KB.
    const json = JSON.stringify({ tokens: made.map((r) => tokenWithValueOut(r.token, r.value)) });
    return reply.code(201).type('application/json; charset=utf-8').send(Buffer.from(json) as never);
  });

  app.post('/api/v1/tokens/import', {
    config: AUTH,
    bodyLimit: BULK_BODY_LIMIT,
    schema: {
      tags: ['tokens'], security: SECURITY,
      summary: 'Import tokens exported from another product, keeping their values (admin); one call is one transaction',
      description: 'Rows as the product stores them (docs/migrate.md): FileBin `apikeys`, Semaphore `user__token`, Meeseeks token records, '
        + 'Query `_config_token`/`_config_user_token`, or the generic columns (csv/json). Values are hashed on the way in; a row may give '
        + 'only the SHA-256 `hash`. A row already imported (same hash) is skipped. Every row not imported is reported with its line and reason.',
      body: T.Object({
        format: T.String({ enum: [...IMPORT_FORMATS], description: 'the product the rows come from, or csv/json for the generic columns' }),
        rows: T.Array(T.Object({}, { additionalProperties: true }), { maxItems: IMPORT_BATCH_MAX }),
        first_line: T.Optional(T.Integer({ minimum: 1, description: 'the line of the first row in the source file (for the report); default 1' })),
        create_users: T.Optional(T.Boolean({ description: 'create owners that do not exist (with a random password) instead of refusing their rows' })),
      }, { additionalProperties: false }),
      response: {
        200: T.Object({
          imported: T.Integer(), skipped: T.Integer(), refused: T.Integer(),
          created_users: T.Array(T.String()),
          rows: T.Array(T.Object({
            line: T.Integer(), reason: T.String({ enum: [...REASONS], description: 'why the row was not imported (docs/migrate.md)' }), message: T.String(), source_id: T.Optional(T.String()),
          }), { description: 'every row not imported' }),
        }),
        ...errors(400, 401, 403),
      },
    },
  }, async (req) => {
    const b = req.body;
    const r = await s.imports.run(req.ctx, { format: b.format as ImportFormat, rows: b.rows as Record<string, unknown>[], firstLine: b.first_line, createUsers: b.create_users });
    return {
      imported: r.imported, skipped: r.skipped, refused: r.refused, created_users: r.createdUsers,
      rows: r.rows.map((o) => ({ line: o.line, reason: o.reason, message: o.message, ...(o.sourceId !== undefined ? { source_id: o.sourceId } : {}) })),
    };
  });
};
