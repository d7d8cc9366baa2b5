/**
 * `tessera webhooks list|create|update|delete|deliveries|redeliver`: webhook endpoints, their delivery log and
 * redelivery over /api/v1/webhooks (admins; docs/webhooks.md). The signing secret is printed once, by create (or by
 * update --rotate-secret).
 */
import type { Command } from 'commander';
import type { WebhookEvent } from '../api.js';
import { connect } from '../client.js';
import { CliError, fields, out, printJson, table, when } from '../output.js';
import { collect, positiveInt } from '../parse.js';
import { type CommonOptions, withCommon } from './common.js';

interface Webhook { id: string; url: string; events: string[]; active: boolean; description: string; created_at: string; updated_at: string }
interface WithSecret { webhook: Webhook; secret?: string }
interface Delivery {
  id: number; event_id: string; event_type: string; status: string; attempts: number; next_attempt_at: string | null;
  last_status_code: number | null; last_error: string | null; created_at: string;
  log: { attempt: number; at: string; status_code: number | null; duration_ms: number; error: string | null }[];
}

const hookFields = (w: Webhook): [string, string][] => [
  ['id', w.id], ['url', w.url], ['events', w.events.join(' ')], ['active', w.active ? 'yes' : 'no'], ['description', w.description || '-'],
  ['created', when(w.created_at)],
];
const printSecret = (secret: string | undefined): void => {
  if (secret === undefined) return;
  out(`Signing secret (shown only now): ${secret}`);
};

export const webhooksCommand = (program: Command): void => {
  const hooks = program.command('webhooks').description('signed event deliveries to your URLs (admins): endpoints, delivery log, redelivery');

  withCommon(hooks.command('list').description('list the webhooks')).action(async (o: CommonOptions) => {
    const c = connect(o);
    const r = await c.call(c.api.GET('/api/v1/webhooks')) as { items: Webhook[] };
    if (o.json) return printJson(r.items);
    table(['id', 'url', 'events', 'active'], r.items.map((w) => [w.id, w.url, w.events.join(' '), w.active ? 'yes' : 'no']));
  });

  withCommon(hooks.command('create').description('register a webhook; prints its signing secret once').argument('<url>', 'http(s) URL the events are POSTed to'))
    .requiredOption('--event <type>', 'an event type (token.created, token.revoked, token.expiring, job.finished, …); repeat for more', collect)
    .option('--secret <whsec>', 'use this signing secret (whsec_…) instead of a generated one')
    .option('--description <text>', 'what the webhook is for')
    .option('--inactive', 'register it switched off')
    .action(async (url: string, o: CommonOptions & { event: string[]; secret?: string; description?: string; inactive?: boolean }) => {
      const c = connect(o);
      const r = await c.call(c.api.POST('/api/v1/webhooks', { body: {
        url, events: o.event as WebhookEvent[], secret: o.secret, description: o.description, ...(o.inactive ? { active: false } : {}),
      } })) as WithSecret;
      if (o.json) return printJson(r);
      out(`Created webhook ${r.webhook.id}.`);
      fields(hookFields(r.webhook));
      printSecret(r.secret);
    });

  withCommon(hooks.command('update').description('change a webhook').argument('<id>', 'webhook id'))
    .option('--target <url>', 'new URL the events are POSTed to')
    .option('--event <type>', 'replace the event types; repeat for more', collect)
    .option('--description <text>', 'new description')
    .option('--active <yes|no>', 'switch it on or off')
    .option('--rotate-secret', 'make a new signing secret (printed once)')
    .action(async (id: string, o: CommonOptions & { target?: string; event?: string[]; description?: string; active?: string; rotateSecret?: boolean }) => {
      const active = o.active === undefined ? undefined : /^(yes|true|on|1)$/i.test(o.active) ? true : /^(no|false|off|0)$/i.test(o.active) ? false
        : (() => { throw new CliError(`--active must be yes or no, not '${o.active}'`, 1); })();
      const c = connect(o);
      const r = await c.call(c.api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body: {
        url: o.target, events: o.event as WebhookEvent[] | undefined, description: o.description, active, ...(o.rotateSecret ? { rotate_secret: true } : {}),
      } })) as WithSecret;
      if (o.json) return printJson(r);
      out(`Updated webhook ${r.webhook.id}.`);
      fields(hookFields(r.webhook));
      printSecret(r.secret);
    });

  withCommon(hooks.command('delete').description('remove a webhook and its delivery log').argument('<id>', 'webhook id')).action(async (id: string, o: CommonOptions) => {
    const c = connect(o);
    await c.call(c.api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } }));
    if (o.json) printJson({ id, deleted: true }); else out(`Deleted webhook ${id}.`);
  });

  withCommon(hooks.command('deliveries').description('the delivery log of a webhook, newest first').argument('<id>', 'webhook id'))
    .option('--limit <n>', 'how many (at most 200)', positiveInt)
    .action(async (id: string, o: CommonOptions & { limit?: number }) => {
      const c = connect(o);
      const r = await c.call(c.api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: o.limit } } })) as { items: Delivery[] };
      if (o.json) return printJson(r.items);
      table(['id', 'event', 'status', 'attempts', 'last', 'next attempt', 'created'], r.items.map((d) => [
        String(d.id), d.event_type, d.status, String(d.attempts),
        d.last_status_code !== null ? String(d.last_status_code) : d.last_error ?? '-', when(d.next_attempt_at), when(d.created_at),
      ]));
    });

  withCommon(hooks.command('redeliver').description("send a delivery's event again").argument('<id>', 'webhook id').argument('<delivery>', 'delivery id', positiveInt))
    .action(async (id: string, delivery: number, o: CommonOptions) => {
      const c = connect(o);
      const d = await c.call(c.api.POST('/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver', { params: { path: { id, delivery } } })) as Delivery;
      if (o.json) return printJson(d);
      out(`Redelivering ${d.event_type} (event ${d.event_id}) as delivery ${d.id}.`);
    });
};
