/**
 * GitHub secret scanning's partner endpoint (issue 16): `POST /api/v1/leaks/github` with the JSON array
 * `[{token, type, url, source}]`, signed by GitHub (ECDSA P-256 SHA-256 over the raw body; key id and signature in
 * headers). Every Tessera token among the reports is revoked (core/leaks); the answer is GitHub's feedback array
 * `[{token_hash, token_type, label}]`. No credential: the signature is the authentication. docs/leaks.md.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type as T } from 'typebox';
import { Ajv } from 'ajv';
import { fail, invalid } from '../../../core/errors.js';
import type { Services } from '../../../core/services.js';
import { errors } from '../../schemas.js';

const Report = T.Object({
  token: T.String({ minLength: 1, maxLength: 1024 }),
  type: T.Optional(T.String({ maxLength: 200 })),
  url: T.Optional(T.String({ maxLength: 2048 })),
  source: T.Optional(T.String({ maxLength: 200 })),
}, { additionalProperties: true });
const Reports = T.Array(Report, { minItems: 1, maxItems: 1000 });
const Feedback = T.Array(T.Object({ token_hash: T.String(), token_type: T.String(), label: T.Union([T.Literal('true_positive'), T.Literal('false_positive')]) }));
const validReports = new Ajv({ allErrors: false }).compile(Reports);

export const leakRoutes = (s: Services): FastifyPluginAsync => async (app) => {
  // The signature covers the body as sent: keep the text, parse it here after the check.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/api/v1/leaks/github', {
    schema: {
      tags: ['leaks'], summary: 'GitHub secret scanning: leaked Tessera tokens are revoked; answers the feedback array',
      description: 'Signed by GitHub (Github-Public-Key-Identifier, Github-Public-Key-Signature); no credential. See docs/leaks.md.',
      security: [],
      body: Reports,
      response: { 200: Feedback, ...errors(400, 401) },
    },
    // The body is validated after the signature check (below), on the parsed text.
    validatorCompiler: () => () => true,
  }, async (req) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    const header = (n: string): string | undefined => (typeof req.headers[n] === 'string' ? req.headers[n] as string : undefined);
    if (!(await s.leaks.verifySignature(raw, header('github-public-key-identifier'), header('github-public-key-signature')))) {
      return fail('LEAK_SIGNATURE_INVALID', 'the request is not signed by a known GitHub secret-scanning key');
    }
    let reports: unknown;
    try { reports = JSON.parse(raw); } catch { return fail('INVALID_JSON', 'the body is not valid JSON'); }
    if (!validReports(reports)) return invalid('token', 'body must be a list of 1 to 1000 reports {token, type, url, source}');
    return s.leaks.report(req.ctx, reports as { token: string; type?: string; url?: string; source?: string }[], 'github');
  });
};
