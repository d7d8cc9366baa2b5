/**
 * `tessera login`, `logout` and `status`: the CLI's own credential.
 *
 * login trades a password for a personal `full` token named `cli@<host>` that expires (30 days unless --expires-in)
 * and stores it with the server URL, so later commands need neither. The password is only sent once; the session it
 * opens is closed again at the end. A new login to the same server as the same user revokes the token of the previous
 * one, so logging in again never leaves a live credential behind; a stored token of another server or user is only
 * replaced in the file (it is not ours to revoke).
 *
 * logout revokes the stored token on its server and deletes the file. When the server cannot revoke it (unreachable,
 * an error) the file is deleted all the same and the command exits 1, naming the token, since it may still work
 * until it expires. A token the server already refuses (revoked, expired) needs no revoking: exit 0.
 *
 * status asks the server who the credential commands would use is: exit 0 when it works, 1 when there is none or the
 * server refuses it (the error says why, e.g. TOKEN_EXPIRED), or the server cannot be reached.
 */
import { hostname } from 'node:os';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ApiTokenWithValue, ApiUser } from '../api.js';
import { ApiError, Client, connect, normaliseUrl } from '../client.js';
import { credentialsPath, deleteCredentials, readCredentials, type StoredCredentials, writeCredentials } from '../credentials-file.js';
import { CliError, fields, note, out, printJson, when } from '../output.js';
import { seconds } from '../parse.js';
import { readSecret } from '../prompt.js';

const SESSION_COOKIE = 'tessera_session';
const DEFAULT_EXPIRY_SECONDS = 30 * 86_400;

interface Me { user: ApiUser | null; credential: { type: string; token_id: string | null } }

/** `cli@<host>`: says where the token lives when it shows up in a token list (`-2`, `-3`... while the name is taken). */
const tokenName = (attempt: number): string => {
  const host = hostname().split('.')[0]!.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 60) || 'host';
  return attempt === 1 ? `cli@${host}` : `cli@${host}-${attempt}`;
};

const positiveSeconds = (v: string): number => {
  const s = seconds(v);
  if (s < 1) throw new InvalidArgumentError('give at least one second');
  return s;
};

/** The stored login, if any: a damaged file is about to be replaced (login) or deleted (logout), so it is no error here. */
const stored = (): StoredCredentials | null => {
  try { return readCredentials(); } catch { return null; }
};

/** Who a token belongs to, or null when the server refuses it or cannot be asked. */
const whoIs = async (url: string, token: string): Promise<Me | null> =>
  me(new Client(url, token)).catch(() => null);

/** Who the client's credential is (its user and token id). */
const me = (c: Client): Promise<Me> => c.call(c.api.GET('/api/v1/auth/me'));

/** A token revoking itself (owners may revoke their own tokens). */
const revokeSelf = (url: string, token: string, id: string): Promise<unknown> => {
  const c = new Client(url, token);
  return c.call(c.api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
};

export const loginCommand = (program: Command): void => {
  program.command('login')
    .description('log in with a password and store an expiring token for later commands (revokes the previous one)')
    .option('--url <url>', 'server URL (default: $TESSERA_URL, then the last login)')
    .option('--username <name>', 'user to log in as', 'admin')
    .option('--password-stdin', 'read the password from stdin even if it is a terminal')
    .addOption(new Option('--expires-in <duration>', 'token lifetime: seconds, or e.g. 12h, 30d').default(DEFAULT_EXPIRY_SECONDS, '30d').argParser(positiveSeconds))
    .action(async (o: { url?: string; username: string; passwordStdin?: boolean; expiresIn: number }) => {
      const previous = stored();
      const raw = o.url ?? (process.env.TESSERA_URL || previous?.url);
      if (!raw) throw new CliError('which server? give --url, e.g. tessera login --url http://localhost:9696');
      const url = normaliseUrl(raw);
      const password = await readSecret('Password', { fromStdin: o.passwordStdin });
      const client = new Client(url, null);

      const login = await client.answer(client.api.POST('/api/v1/auth/login', { body: { username: o.username, password } }));
      const session = login.response.headers.getSetCookie().map((c) => c.split(';', 1)[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      if (!session) throw new CliError(`${url} accepted the login but set no session cookie; is it a Tessera server?`);
      const asSession = { headers: { cookie: session } };

      try {
        // The previous login's token, wherever it was issued and to whomever, while it still works: the file is about
        // to forget its value, so nobody could use or revoke it by value after this.
        const oldUrl = previous ? safeUrl(previous.url) : null;
        const old = previous && oldUrl ? await whoIs(oldUrl, previous.token) : null;
        const oldId = old?.credential.type === 'token' ? old.credential.token_id ?? null : null;

        let token = await createToken(client, asSession, o.expiresIn);
        const byId = { params: { path: { id: token.id } }, ...asSession };
        let file: string;
        try {
          file = writeCredentials({ url, token: token.token, token_id: token.id });
        } catch (e) {
          // Nobody holds the new value now: revoke it rather than leave a full-access token alive for 30 days.
          const revoked = await client.call(client.api.DELETE('/api/v1/tokens/{id}', byId)).then(() => true, () => false);
          throw new CliError(`${(e as Error).message}; ${revoked ? `the token made for this login (${token.id}) was revoked` : `revoke the token made for this login: tessera tokens revoke ${token.id}`}`);
        }
        // The value stays in the file: printing it would put a full-access token in scrollback and CI logs.
        out(`Logged in to ${url} as ${login.data.user.username}.`);
        let revokedOld = false;
        if (oldId && !(oldUrl === url && oldId === token.id)) {
          try {
            await revokeSelf(oldUrl!, previous!.token, oldId);
            revokedOld = true;
            const whose = old!.user && old!.user.id !== login.data.user.id ? ` (${old!.user.username}'s)` : '';
            out(`Revoked the previous login's token ${oldId}${whose}${oldUrl === url ? '' : ` on ${oldUrl}`}.`);
          } catch (e) {
            note(`tessera: warning: could not revoke the previous login's token ${oldId}: ${(e as Error).message}`);
          }
        }
        // The old token held the name on this server: the new one takes it now that it is free.
        if (revokedOld && oldUrl === url && token.name !== tokenName(1)) {
          token = await client.call(client.api.PATCH('/api/v1/tokens/{id}', { ...byId, body: { name: tokenName(1) } })).then((t) => ({ ...token, name: t.name }), () => token);
        }
        out(`Token ${token.name ?? token.id} (${token.id}, access full, expires ${when(token.expires_at, 'never')}) saved in ${file}.`);
      } finally {
        // Best effort: the token is what we keep; the session is not needed any more.
        await client.call(client.api.POST('/api/v1/auth/logout', asSession)).catch(() => undefined);
      }
    });

  program.command('logout')
    .description('revoke the stored token on its server and forget it (exit 1 if it could not be revoked)')
    .action(async () => {
      let creds: StoredCredentials | null;
      try { creds = readCredentials(); } catch (e) {
        // A damaged file holds no token we could revoke: it is removed, like a logout.
        note(`tessera: ${(e as Error).message}`);
        out(`Removed ${deleteCredentials()}.`);
        return;
      }
      if (!creds) {
        out(`Not logged in (no credentials in ${credentialsPath()}).`);
        return;
      }
      const url = safeUrl(creds.url);
      let failure: string | null = null;
      let id = creds.token_id ?? null;
      try {
        if (!url) throw new CliError(`'${creds.url}' is not a server URL`);
        const who = await me(new Client(url, creds.token));
        id = who.credential.token_id ?? id;
        if (id) await revokeSelf(url, creds.token, id);
      } catch (e) {
        // 401: the server already refuses the token (revoked, expired, unknown), so there is nothing left to revoke.
        if (!(e instanceof ApiError && e.status === 401)) failure = (e as Error).message;
        else id = null;
      }
      const path = deleteCredentials();
      if (failure !== null) {
        throw new CliError(`removed ${path}, but could not revoke token ${id ?? '(id unknown)'} on ${creds.url}: ${failure}. `
          + 'It works until it expires unless revoked: log in again and run `tessera tokens revoke <id>`, or use the web UI');
      }
      out(id ? `Revoked token ${id} on ${url} and removed ${path}.` : `The token had already stopped working; removed ${path}.`);
    });

  program.command('status')
    .description('who the CLI is logged in as, on which server, with which token until when (exit 1 if none works)')
    .option('--url <url>', 'server URL (default: $TESSERA_URL, then the one from `tessera login`)')
    .option('--json', 'print {url, user, token} as JSON')
    .action(async (o: { url?: string; json?: boolean }) => {
      const client = connect(o);
      const who = await me(client);
      const id = who.credential.token_id;
      const token = id ? await client.call(client.api.GET('/api/v1/tokens/{id}', { params: { path: { id } } })) : null;
      if (o.json) return printJson({ url: client.url, user: who.user, token });
      fields([
        ['user', who.user?.username ?? '(single-user mode)'],
        ['server', client.url],
        ['token', token ? `${token.id} (${token.name ?? 'no name'}, access ${token.access})` : `none (${who.credential.type})`],
        ['expires', token ? when(token.expires_at, 'never') : '-'],
      ]);
    });
};

const safeUrl = (raw: string): string | null => {
  try { return normaliseUrl(raw); } catch { return null; }
};

/** Token names are unique among an owner's live tokens, so while `cli@<host>` is taken try `-2`, `-3`, ... */
const createToken = async (client: Client, asSession: { headers: Record<string, string> }, expiresIn: number): Promise<ApiTokenWithValue> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.call(client.api.POST('/api/v1/tokens', {
        ...asSession,
        body: { name: tokenName(attempt), access: 'full', expires_in: expiresIn, comment: `created by tessera login on ${hostname()}`.slice(0, 255) },
      }));
    } catch (e) {
      if (attempt < 20 && e instanceof CliError && e.message.startsWith('CONFLICT:')) continue;
      throw e;
    }
  }
};
