/**
 * GET /api/v1/verify/events: the verifier's invalidations as Server-Sent Events, for the SDK's local verifier
 * (sdk/local.ts), which caches positive answers and must drop them when a token is revoked, changed or its owner is.
 *
 * Events: `state` (`{"caching": bool}`) when the stream opens and whenever the server's own caching turns on or off
 * (off while the multi-node change feed is down: a client must not cache either), and `invalidate` with
 * `{"kind": "token"|"hash"|"user"|"all", "id"}` after every invalidation, on this node or (through the change feed)
 * on another. `hash` is SHA-256(value), hex, as the store keeps it. Sessions ending are not sent (nothing cached
 * changes). Heartbeats and the end on server shutdown come from sse.ts.
 *
 * Who may listen: a service token (any access level), or an admin (token, JWT or session). The stream shows token
 * and user ids only, never a value.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import { fail } from '../../../core/errors.js';
import { isAdmin, type Principal } from '../../../core/principal.js';
import type { Services } from '../../../core/services.js';
import type { InvalidationEvent } from '../../../core/tokens/verifier.js';
import { eventStreams } from '../../sse.js';
import { errors, streamed } from '../../schemas.js';

const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];

/** A service token or an admin; anyone else is refused (403 FORBIDDEN). */
export const mayWatchInvalidations = (p: Principal | null): void => {
  if (p === null) return fail('UNAUTHENTICATED', 'this route needs a credential');
  if (p.type === 'token' && p.token.kind === 'service') return;
  if (!isAdmin(p)) fail('FORBIDDEN', 'the invalidation stream needs a service token or an admin');
};

export const verifyEventRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  const openStream = eventStreams(app, s);

  app.get('/api/v1/verify/events', {
    config: { auth: 'required' },
    schema: {
      tags: ['verify'],
      summary: 'Invalidations as Server-Sent Events (event: state {caching}, event: invalidate {kind, id}); service tokens and admins',
      description: 'For local verifiers (the SDK): drop cached answers for `token` (token id), `user` (every token of that user id), '
        + '`hash` (SHA-256 hex of a value), `all`; do not cache while the last `state` said `caching: false`.',
      security: SECURITY,
      response: { 200: streamed('text/event-stream', 'events `state` {caching} and `invalidate` {kind, id}'), ...errors(401, 403) },
    },
  }, async (req, reply) => {
    mayWatchInvalidations(req.ctx.principal); // refused before any byte of the stream
    let caching = s.verifier.cachingEnabled;
    let stop = (): void => undefined;
    const stream = openStream(req, reply, () => stop(), (ctx) => mayWatchInvalidations(ctx.principal));
    stream.send('state', { caching });
    stop = s.verifier.onInvalidate((e: InvalidationEvent) => {
      if (e.kind === 'session') return;
      stream.send('invalidate', { kind: e.kind, id: e.id });
      if (s.verifier.cachingEnabled !== caching) {
        caching = s.verifier.cachingEnabled;
        stream.send('state', { caching });
      }
    });
  });
};
