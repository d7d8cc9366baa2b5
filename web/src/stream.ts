/**
 * A channel's live messages (GET /api/v1/channels/{name}/stream, Server-Sent Events) with the browser's EventSource:
 * same origin, so the session cookie goes along; EventSource reconnects by itself and sends Last-Event-ID, and the
 * server resumes after it without losing or repeating a message.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChannelMessage } from '../../sdk/index.js';
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
