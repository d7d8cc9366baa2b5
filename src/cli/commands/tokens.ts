/** `tessera tokens create|list|show|update|revoke|rotate|reveal`: the token lifecycle over /api/v1/tokens. */
import { type Command, Option } from 'commander';
import { ACCESS_CHOICES, type Access, type ApiToken, type ApiTokenWithValue, type TokenKind, type TokenStatus } from '../api.js';
import { connect } from '../client.js';
import { CliError, fields, note, out, printJson, table, when } from '../output.js';
import { type CLEAR, collect, dateTime, dateTimeOrNever, jsonObject, orNull, positiveInt, seconds } from '../parse.js';
import { type CommonOptions, fetchPages, withCommon } from './common.js';

const byId = (id: string) => ({ params: { path: { id } } });
const accessOption = (what: string): Option => new Option('--access <level>', what).choices(ACCESS_CHOICES);
const grantOptions = (c: Command): Command => c
  .option('--permission <name>', 'a permission (deploy:write, deploy:*); repeat for more', collect)
  .option('--role <name>', 'a role (tessera roles list); repeat for more', collect)
  .option('--allowed-cidr <cidr>', 'a client address block the token works from (10.0.0.0/8); repeat for more', collect);
type GrantOptions = { permission?: string[]; role?: string[]; allowedCidr?: string[] };
const grantsBody = (o: GrantOptions) => ({ permissions: o.permission, roles: o.role, allowed_cidrs: o.allowedCidr });

const tokenFields = (t: ApiToken): [string, string][] => [
  ['id', t.id],
  ['name', t.name ?? '-'],
  ['kind', t.kind],
  ['owner', t.owner ? (t.owner.username ?? `#${t.owner.id}`) : '-'],
  ['access', t.access],
  ['status', t.status],
  ['prefix', t.prefix],
  ['comment', t.comment || '-'],
  ['metadata', t.metadata ? JSON.stringify(t.metadata) : '-'],
  ['permissions', t.permissions.length ? t.permissions.join(' ') : '-'],
  ['roles', t.roles.length ? t.roles.join(' ') : '-'],
  ['allowed from', t.allowed_cidrs.length ? t.allowed_cidrs.join(' ') : 'anywhere'],
  ['recoverable', t.recoverable ? 'yes' : 'no'],
  ['created', when(t.created_at)],
  ['expires', when(t.expires_at, 'never')],
  ['last used', when(t.last_used_at, 'never')],
  ...(t.last_used_from ? [['last used from', t.last_used_from.length ? t.last_used_from.map((a) => `${a.ip} (${when(a.at)})`).join(', ') : '-'] as [string, string]] : []),
  ['uses', String(t.use_count)],
  ...(t.revoked_at ? [['revoked', when(t.revoked_at)] as [string, string]] : []),
];

/** Create and rotate exist to hand out a value, so they print it (as does reveal); no other command does. */
const printWithValue = (t: ApiTokenWithValue, o: CommonOptions, verb: string): void => {
  if (o.json) return printJson(t);
  out(`${verb} token ${t.id}${t.name ? ` (${t.name})` : ''}.`);
  fields([...tokenFields(t), ['token', t.token]]);
  if (!t.recoverable) note('Copy the token now: it cannot be shown again.');
};

export const tokensCommand = (program: Command): void => {
  const tokens = program.command('tokens').description('create, list, change, rotate and revoke tokens');

  grantOptions(withCommon(tokens.command('create').description('create a token and print its value (shown once unless --recoverable)')))
    .option('--owner <user>', 'admins: issue the token for this user (username or id)')
    .option('--name <name>', 'a name, unique among your live tokens (required with --service)')
    .option('--comment <text>', 'free text, up to 255 characters')
    .addOption(accessOption('access level (the server defaults to write)'))
    .addOption(new Option('--expires-at <date>', 'expiry date and time (RFC 3339 or YYYY-MM-DD)').argParser(dateTime).conflicts('expiresIn'))
    .addOption(new Option('--expires-in <duration>', 'expire after this long: seconds, or e.g. 12h, 30d').argParser(seconds))
    .option('--recoverable', 'keep an encrypted copy so `tokens reveal` can show the value again')
    .option('--inactive', 'create the token switched off')
    .option('--metadata <json>', 'a JSON object stored with the token', jsonObject(false))
    .option('--service', 'a service token, tied to no user (admins)')
    .action(async (o: CommonOptions & {
      name?: string; comment?: string; access?: Access; expiresAt?: string; expiresIn?: number; recoverable?: boolean;
      inactive?: boolean; metadata?: Record<string, unknown>; service?: boolean; owner?: string;
    } & GrantOptions) => {
      const c = connect(o);
      const t = await c.call(c.api.POST('/api/v1/tokens', { body: {
        name: o.name, comment: o.comment, access: o.access, expires_at: o.expiresAt, expires_in: o.expiresIn,
        recoverable: o.recoverable, active: o.inactive ? false : undefined, metadata: o.metadata, kind: o.service ? 'service' : undefined,
        owner: o.owner, ...grantsBody(o),
      } }));
      printWithValue(t, o, 'Created');
    });

  withCommon(tokens.command('list').description('list tokens (yours; admins may pick an owner or kind)'))
    .option('--owner <user>', "admins: a user id, a username, or '*' for everyone")
    .addOption(new Option('--kind <kind>', 'token kind').choices(['personal', 'service']))
    .addOption(new Option('--status <status>', 'only tokens with this status').choices(['active', 'inactive', 'expired', 'revoked']))
    .option('--limit <n>', 'tokens per page (1-200)', positiveInt)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'follow every page')
    .action(async (o: CommonOptions & { owner?: string; kind?: TokenKind; status?: TokenStatus; limit?: number; cursor?: string; all?: boolean }) => {
      const c = connect(o);
      const page = await fetchPages((cursor) => c.call(c.api.GET('/api/v1/tokens',
        { params: { query: { owner: o.owner, kind: o.kind, status: o.status, limit: o.limit, cursor } } })), o.cursor, o.all === true);
      if (o.json) return printJson(page);
      if (page.items.length === 0) out('No tokens.');
      else {
        // The owner column only matters when an admin looks beyond their own tokens.
        const wide = o.owner !== undefined || o.kind !== undefined;
        table(['id', 'name', ...(wide ? ['owner'] : []), 'status', 'access', 'prefix', 'expires', 'last used'], page.items.map((t) => [
          t.id, t.name ?? '', ...(wide ? [t.owner?.username ?? (t.owner ? `#${t.owner.id}` : '(service)')] : []),
          t.status, t.access, t.prefix, when(t.expires_at, 'never'), when(t.last_used_at, 'never'),
        ]));
      }
      if (page.next_cursor) note(`More tokens: add --cursor ${page.next_cursor} (or use --all).`);
    });

  withCommon(tokens.command('show').description('show one token').argument('<id>', 'token id'))
    .action(async (id: string, o: CommonOptions) => {
      const c = connect(o);
      const t = await c.call(c.api.GET('/api/v1/tokens/{id}', byId(id)));
      if (o.json) printJson(t); else fields(tokenFields(t));
    });

  grantOptions(withCommon(tokens.command('update').description('change a token').argument('<id>', 'token id')))
    .option('--name <name>', 'new name')
    .option('--comment <text>', 'new comment')
    .addOption(accessOption('new access level'))
    .addOption(new Option('--active', 'switch the token on').conflicts('inactive'))
    .option('--inactive', 'switch the token off (it can be switched on again)')
    .option('--expires-at <date>', "new expiry date and time, or 'never'", dateTimeOrNever)
    .option('--metadata <json>', 'replace the metadata with this JSON object, or null to clear it', jsonObject(true))
    .action(async (id: string, o: CommonOptions & {
      name?: string; comment?: string; access?: Access; active?: boolean; inactive?: boolean;
      expiresAt?: string | typeof CLEAR; metadata?: Record<string, unknown> | typeof CLEAR;
    } & GrantOptions) => {
      const body = {
        name: o.name, comment: o.comment, access: o.access, active: o.active ? true : o.inactive ? false : undefined,
        expires_at: o.expiresAt === undefined ? undefined : orNull(o.expiresAt),
        metadata: o.metadata === undefined ? undefined : orNull(o.metadata), ...grantsBody(o),
      };
      if (Object.values(body).every((v) => v === undefined)) {
        throw new CliError('nothing to change: give --name, --comment, --access, --active, --inactive, --expires-at, --metadata, --permission, --role or --allowed-cidr');
      }
      const c = connect(o);
      const t = await c.call(c.api.PATCH('/api/v1/tokens/{id}', { ...byId(id), body }));
      if (o.json) return printJson(t);
      out(`Updated token ${t.id}.`);
      fields(tokenFields(t));
    });

  withCommon(tokens.command('revoke').description('revoke a token at once (it stays listed as revoked)').argument('<id>', 'token id'))
    .option('--purge', 'delete the token for good instead (admins)')
    .action(async (id: string, o: CommonOptions & { purge?: boolean }) => {
      const client = connect(o);
      if (o.purge) {
        await client.call(client.api.DELETE('/api/v1/tokens/{id}', { params: { path: { id }, query: { purge: true } } }));
        if (o.json) printJson({ id, purged: true }); else out(`Purged token ${id}.`);
        return;
      }
      const t = await client.call(client.api.DELETE('/api/v1/tokens/{id}', byId(id))) as ApiToken;
      if (o.json) printJson(t); else out(`Revoked token ${t.id}${t.name ? ` (${t.name})` : ''}.`);
    });

  withCommon(tokens.command('rotate').description('issue a new value for a token and print it').argument('<id>', 'token id'))
    .option('--grace <duration>', 'how long the old value keeps working: seconds, or e.g. 10m (default 0)', seconds)
    .action(async (id: string, o: CommonOptions & { grace?: number }) => {
      const c = connect(o);
      const t = await c.call(c.api.POST('/api/v1/tokens/{id}/rotate', { ...byId(id), body: o.grace === undefined ? {} : { grace_seconds: o.grace } }));
      printWithValue(t, o, 'Rotated');
      if (!o.json) note(o.grace ? `The old value works for ${o.grace} more seconds.` : 'The old value has stopped working.');
    });

  withCommon(tokens.command('reveal').description("print a recoverable token's value again (audited)").argument('<id>', 'token id'))
    .action(async (id: string, o: CommonOptions) => {
      const c = connect(o);
      const r = await c.call(c.api.GET('/api/v1/tokens/{id}/value', byId(id)));
      // Just the value, so `$(tessera tokens reveal ID)` works.
      if (o.json) printJson(r); else out(r.token);
    });
};
