/**
 * Server-Sent Events, shared by the channel and job streams: the headers (no buffering by proxies), a `: connected`
 * comment so clients see the stream open at once, a heartbeat comment every 15 s so idle connections survive proxies,
 * and an end to every open stream when the server closes (or app.close() would wait for ever).
 *
 * A stream lives no longer than its credential (issue 12): after every invalidation the verifier reports (a token or
 * user changed, a session ended — on this node or, through the change feed, on another) and every `RECHECK_MS` (for
 * expiry), each open stream authenticates its credential again and asks its route whether the caller may still see
 * the resource. A stream that fails gets `event: error` with `{"error": {"code", "message"}}` and is ended.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '../core/principal.js';
import type { Services } from '../core/services.js';
import { toTesseraError } from './errors.js';

export const HEARTBEAT_MS = 15_000;
/** The safety net behind the invalidations: how often every open stream is re-checked (token expiry, session end). */
export const RECHECK_MS = 2_000;

export interface EventStream {
  /** One event; `data` is sent as JSON (so newlines in it cannot break the framing). */
  send(event: string, data: unknown, id?: number): void;
  end(): void;
  readonly ended: boolean;
}

/** Whether the caller (with their credential checked again) may still see what the stream shows; throws if not. */
export type StillVisible = (ctx: RequestContext) => unknown;

interface Open { res: ServerResponse; req: FastifyRequest; visible: StillVisible; stream: EventStream }

/** Call once per plugin; the returned function takes over a reply and opens a stream on it. */
export const eventStreams = (app: FastifyInstance, s: Services) => {
  const open = new Set<Open>();
  let running: Promise<void> | null = null;
  let again = false;

  const check = async (o: Open): Promise<void> => {
    const cred = o.req.credential;
    try {
      const principal = cred === null ? (o.req.ctx.principal?.type === 'user' ? await s.auth.singleUser() : null) : await s.auth.authenticate(cred, { recheck: true });
      await o.visible({ ...o.req.ctx, principal });
    } catch (err) {
      const e = toTesseraError(err);
      if (e.code === 'INTERNAL_ERROR' || e.code === 'STORE_UNAVAILABLE') return; // a fault is not a refusal: try again later
      o.stream.send('error', { error: { code: e.code, message: e.message } });
      o.stream.end();
    }
  };
  // One pass at a time; invalidations during a pass ask for one more pass after it.
  const recheck = (): void => {
    if (open.size === 0) return;
    if (running) { again = true; return; }
    running = Promise.all([...open].map(check)).then(() => undefined).finally(() => {
      running = null;
      if (again) { again = false; recheck(); }
    });
  };
  const stopWatching = s.verifier.onInvalidate((e) => { if (e.kind !== 'hash') recheck(); }); // a new value changes no open stream
  const timer = setInterval(recheck, RECHECK_MS);
  timer.unref();
  app.addHook('preClose', async () => {
    stopWatching();
    clearInterval(timer);
    for (const o of open) o.res.end();
  });

  return (req: FastifyRequest, reply: FastifyReply, onClose: () => void, visible: StillVisible): EventStream => {
    const res = reply.raw;
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const write = (text: string): void => { if (!res.writableEnded) res.write(text); };
    write(': connected\n\n');
    const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const stream: EventStream = {
      send: (event, data, id) => write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
      end: () => { if (!res.writableEnded) res.end(); },
      get ended() { return res.writableEnded; },
    };
    const o: Open = { res, req, visible, stream };
    open.add(o);
    res.on('close', () => { clearInterval(heartbeat); open.delete(o); onClose(); });
    return stream;
  };
};
