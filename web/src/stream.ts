/**
 * Live streams over Server-Sent Events with the browser's EventSource (same origin, so the session cookie goes along).
 *
 * A channel's live messages (GET /api/v1/channels/{name}/stream, Server-Sent Events) with the browser's EventSource:
 * same origin, so the session cookie goes along; EventSource reconnects by itself and sends Last-Event-ID, and the
 * server resumes after it without losing or repeating a message.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChannelMessage, Job } from '../../sdk/index.js';
import { channelStreamPath } from '../../sdk/index.js';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * Calls `onMessage` for each message of `channel` from now on (or after message id `after`, when given), and
 * `onOpen` each time the stream (re)connects. `channel` null: no stream.
 */
export function useChannelStream(
  channel: string | null,
  opts: { after?: number; onMessage: (m: ChannelMessage) => void; onOpen?: () => void },
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handlers = useRef(opts);
  handlers.current = opts;
  const after = opts.after;
  useEffect(() => {
    if (channel === null) return;
    setState('connecting');
    const es = new EventSource(channelStreamPath(channel, after));
    es.onopen = () => { setState('live'); handlers.current.onOpen?.(); };
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    es.addEventListener('message', (ev: MessageEvent<string>) => {
      try {
        const m = JSON.parse(ev.data) as ChannelMessage;
        if (typeof m === 'object' && m !== null && typeof m.text === 'string') handlers.current.onMessage(m);
      } catch { /* not a message */ }
    });
    return () => es.close();
  }, [channel, after]);
  return state;
}

/**
 * A job's output live (GET /api/v1/jobs/{id}/stream): `onOutput` gets each piece of output in order (what was printed
 * before the stream opened comes first), `onEnd` the ended job once, and then the stream is closed. EventSource
 * reconnects by itself after a network error and sends Last-Event-ID (the characters received so far), and the
 * server goes on from there, so nothing is repeated. `id` null: no stream.
 */
export function useJobOutputStream(
  id: number | null,
  opts: { onOutput: (text: string) => void; onEnd: (job: Job) => void },
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handlers = useRef(opts);
  handlers.current = opts;
  useEffect(() => {
    if (id === null) return;
    setState('connecting');
    const es = new EventSource(`/api/v1/jobs/${id}/stream`);
    es.onopen = () => setState('live');
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    es.addEventListener('output', (ev: MessageEvent<string>) => {
      try {
        const o = JSON.parse(ev.data) as { text?: unknown };
        if (typeof o.text === 'string') handlers.current.onOutput(o.text);
      } catch { /* not an output event */ }
    });
    es.addEventListener('end', (ev: MessageEvent<string>) => {
      es.close(); // or EventSource would connect again once the server closes the stream
      setState('closed');
      try {
        handlers.current.onEnd(JSON.parse(ev.data) as Job);
      } catch { /* not a job */ }
    });
    return () => es.close();
  }, [id]);
  return state;
}
