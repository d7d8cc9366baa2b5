/**
 * Server-Sent Events, shared by the channel and job streams: the headers (no buffering by proxies), a `: connected`
 * comment so clients see the stream open at once, a heartbeat comment every 15 s so idle connections survive proxies,
 * and an end to every open stream when the server closes (or app.close() would wait for ever).
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const HEARTBEAT_MS = 15_000;

export interface EventStream {
  /** One event; `data` is sent as JSON (so newlines in it cannot break the framing). */
  send(event: string, data: unknown, id?: number): void;
  end(): void;
  readonly ended: boolean;
}

/** Call once per plugin; the returned function takes over a reply and opens a stream on it. */
export const eventStreams = (app: FastifyInstance) => {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => { for (const r of open) r.end(); });

  return (reply: FastifyReply, onClose: () => void): EventStream => {
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
    open.add(res);
    res.on('close', () => { clearInterval(heartbeat); open.delete(res); onClose(); });
    return {
      send: (event, data, id) => write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
      end: () => { if (!res.writableEnded) res.end(); },
      get ended() { return res.writableEnded; },
    };
  };
};
