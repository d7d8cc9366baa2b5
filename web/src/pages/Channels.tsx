/** Channels (where job outcomes are posted) and one channel with its messages arriving live (Server-Sent Events). */
import { useState } from 'preact/hooks';
import type { ChannelMessage } from '../../../sdk/index.js';
import { api, unwrap } from '../api.js';
import { useLoad } from '../load.js';
import { Link } from '../router.js';
import { type StreamState, useChannelStream } from '../stream.js';
import { Badge } from '../ui/Badge.js';
import { ErrorText } from '../ui/ErrorText.js';
import { PageHead, Unavailable } from '../ui/Page.js';
import { Time } from '../ui/Time.js';

export function ChannelsPage() {
  const list = useLoad(() => unwrap(api.GET('/api/v1/channels')), []);
  return (
    <section aria-labelledby="page-title">
      <PageHead title="Channels" intro="Where the outcomes of jobs are posted. Open one to follow it live." />
      {list.error?.routeMissing ? <Unavailable what="Channels" /> : <ErrorText error={list.error} />}
      {list.loading && !list.data ? <p class="muted" role="status">Loading channels…</p> : list.data && (
        <ul class="link-list">
          {list.data.items.map((c) => (
            <li key={c.name}><Link href={`/channels/${encodeURIComponent(c.name)}`}>{c.name}</Link>
              {c.webhook && <> <Badge tone="neutral" title="messages are also sent to a webhook">webhook</Badge></>}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

const STATE_TEXT: Record<StreamState, string> = {
  connecting: 'Connecting…', live: 'Live: new messages appear here as they arrive.', reconnecting: 'Connection lost; reconnecting…',
  closed: 'Live updates stopped. Reload the page to resume.',
};

export function ChannelPage({ name }: { name: string }) {
  const [messages, setMessages] = useState<ChannelMessage[]>([]);
  const first = useLoad(async () => {
    // The API lists newest first; the page shows oldest first, like a chat.
    const r = await unwrap(api.GET('/api/v1/channels/{name}/messages', { params: { path: { name }, query: { limit: 100 } } }));
    setMessages([...r.items].reverse());
    return r;
  }, [name]);
  // Stream from the newest message loaded: the server first sends anything stored after it, then live ones.
  const after = first.data ? first.data.items.reduce((max, m) => Math.max(max, m.id), 0) : undefined;
  const state = useChannelStream(first.data ? name : null, {
    after,
    onMessage: (m) => setMessages((prev) => (prev.some((p) => p.id === m.id) ? prev : [...prev, m])),
  });
  return (
    <section aria-labelledby="page-title">
      <PageHead title={`Channel ${name}`}><Link class="button" href="/channels">All channels</Link></PageHead>
      {first.error?.routeMissing ? <Unavailable what="Channels" /> : <ErrorText error={first.error} />}
      {first.data && (
        <>
          <p class={`stream-state stream-${state}`} role="status">{state === 'live' && <span class="live-dot" aria-hidden="true" />}{STATE_TEXT[state]}</p>
          {messages.length === 0 ? <div class="empty"><p class="empty-title">No messages yet.</p></div> : (
            <div role="log" aria-label={`Messages in ${name}`}><ol class="messages">
              {messages.map((m) => (
                <li key={m.id} class="message" data-message-id={m.id}>
                  <Time iso={m.at} />{m.job_id !== null && <> · <Link href={`/jobs/${m.job_id}`}>job #{m.job_id}</Link></>}
                  <pre class="message-text">{m.text}</pre>
                </li>
              ))}
            </ol></div>
          )}
        </>
      )}
    </section>
  );
}
