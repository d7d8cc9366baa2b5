/**
 * Channels: names, stored messages (pages, newest first) and a live Server-Sent Events stream. Any logged-in user
 * may read any channel (outcomes are team-visible, as in a chat channel).
 *
 * Stream: `event: message`, `id: <message id>`, `data: <message JSON>`; a `: ping` comment every 15 s keeps proxies
 * from closing an idle connection. A client that reconnects with `Last-Event-ID` (or `?last_event_id=`; the header
 * wins when both are sent) first gets every stored message after that id, then live ones, without duplicates.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from 'typebox';
import { MESSAGE_PAGE_MAX } from '../../../core/channels/service.js';
import type { ChannelMessage } from '../../../core/job-types.js';
import type { Services } from '../../../core/services.js';
import { errors, page, streamed } from '../../schemas.js';
import { eventStreams } from '../../sse.js';


const MessageSchema = T.Object({
  id: T.Integer(),
  channel: T.String(),
  text: T.String(),
  job_id: T.Union([T.Integer(), T.Null()]),
  at: T.String({ format: 'date-time' }),
}, { $id: 'ChannelMessage' });

const messageOut = (m: ChannelMessage) => ({ id: m.id, channel: m.channel, text: m.text, job_id: m.jobId, at: new Date(m.at).toISOString() });

const SECURITY: { [k: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const NameParam = T.Object({ name: T.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const channelRoutes = (s: Services): FastifyPluginAsyncTypebox => async (app) => {
  const openStream = eventStreams(app, s);

  app.get('/api/v1/channels', {
    config: { auth: 'required' },
    schema: {
      tags: ['channels'], summary: 'Channel names (any logged-in user)', security: SECURITY,
      response: { 200: T.Object({ items: T.Array(T.Object({ name: T.String(), webhook: T.Boolean({ description: 'has a webhook (its URL is not shown)' }) })) }), ...errors(401) },
    },
  }, async (req) => ({ items: s.channels.list(req.ctx) }));

  app.get('/api/v1/channels/:name/messages', {
    config: { auth: 'required' },
    schema: {
      tags: ['channels'], summary: 'A channel\'s messages, newest first', security: SECURITY, params: NameParam,
      querystring: T.Object({
        limit: T.Optional(T.Integer({ minimum: 1, maximum: MESSAGE_PAGE_MAX, default: 50 })),
        cursor: T.Optional(T.String({ maxLength: 512 })),
      }, { additionalProperties: false }),
      response: { 200: page(MessageSchema), ...errors(400, 401, 404) },
    },
  }, async (req) => {
    const r = await s.channels.messages(req.ctx, req.params.name, { limit: req.query.limit, cursor: req.query.cursor });
    return { items: r.items.map(messageOut), next_cursor: r.nextCursor };
  });

  app.get('/api/v1/channels/:name/stream', {
    config: { auth: 'required' },
    schema: {
      tags: ['channels'], summary: 'Live messages as Server-Sent Events (event: message); resumes after Last-Event-ID', security: SECURITY, params: NameParam,
      querystring: T.Object({ last_event_id: T.Optional(T.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      headers: T.Object({ 'last-event-id': T.Optional(T.String({ pattern: '^\\d{1,15}$' })) }),
      response: { 200: streamed('text/event-stream', 'the channel\'s messages as they are posted'), ...errors(400, 401, 404) },
    },
  }, async (req, reply) => {
    const channel = req.params.name;
    s.channels.requireReadable(req.ctx, channel);
    const header = req.headers['last-event-id'];
    // The header wins: EventSource keeps the URL it was opened with (`?last_event_id=` from the page) and sends the
    // id it last received as Last-Event-ID on each reconnect, which is where the client really is.
    const after = typeof header === 'string' ? Number(header) : req.query.last_event_id;

    // Subscribe before reading the backlog, holding live messages back until it has been sent: none is lost or repeated.
    let held: ChannelMessage[] | null = [];
    const unsubscribe = s.channels.subscribe(channel, (m) => { if (held) held.push(m); else send(m); });
    const stream = openStream(req, reply, unsubscribe, (ctx) => s.channels.requireReadable(ctx, channel));
    let lastSent = after ?? 0;
    const send = (m: ChannelMessage): void => {
      if (m.id <= lastSent) return;
      lastSent = m.id;
      stream.send('message', messageOut(m), m.id);
    };
    try {
      if (after !== undefined) for (const m of await s.channels.since(channel, after)) send(m);
    } catch (err) {
      req.log.warn({ err }, 'channel stream: reading the backlog failed');
    }
    const pending = held;
    held = null;
    for (const m of pending) send(m);
  });
};
