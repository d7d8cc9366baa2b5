/**
 * `tessera login`: trades a password for a personal `full` token and stores it with the server URL, so later
 * commands need neither. The password is only sent once; the session it opens is closed again at the end.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { ApiTokenWithValue, ApiUser } from '../api.js';
import { Client, normaliseUrl } from '../client.js';
import { readCredentials, writeCredentials } from '../credentials-file.js';
import { CliError, out } from '../output.js';
import { readSecret } from '../prompt.js';

const SESSION_COOKIE = 'tessera_session';

/** `cli-<host>-<yyyy-mm-dd>`: says where and when the token was made when it shows up in a token list. */
const tokenName = (attempt: number): string => {
  const host = hostname().split('.')[0]!.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 60) || 'host';
  const base = `cli-${host}-${new Date().toISOString().slice(0, 10)}`;
  return attempt === 1 ? base : `${base}-${attempt}`;
};

/** The server of the last login, if any: a damaged file is about to be replaced, so it is no error here. */
const lastUrl = (): string | undefined => {
  try { return readCredentials()?.url; } catch { return undefined; }
};

export const loginCommand = (program: Command): void => {
  program.command('login')
    .description('log in with a password and store a token for later commands')
    .option('--url <url>', 'server URL (default: $TESSERA_URL, then the last login)')
    .option('--username <name>', 'user to log in as', 'admin')
    .option('--password-stdin', 'read the password from stdin even if it is a terminal')
    .action(async (o: { url?: string; username: string; passwordStdin?: boolean }) => {
      const raw = o.url ?? (process.env.TESSERA_URL || lastUrl());
      if (!raw) throw new CliError('which server? give --url, e.g. tessera login --url http://localhost:9696');
      const url = normaliseUrl(raw);
      const password = await readSecret('Password', { fromStdin: o.passwordStdin });
      const client = new Client(url, null);

      const login = await client.request<{ user: ApiUser }>('POST', '/api/v1/auth/login', { body: { username: o.username, password } });
      const session = login.headers.getSetCookie().map((c) => c.split(';', 1)[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      if (!session) throw new CliError(`${url} accepted the login but set no session cookie; is it a Tessera server?`);
      const asSession = { headers: { cookie: session } };

      try {
        const token = await createToken(client, asSession);
        const file = writeCredentials({ url, token: token.token });
        // The value stays in the file: printing it would put a full-access token in scrollback and CI logs.
        out(`Logged in to ${url} as ${login.data.user.username}.`);
        out(`Token ${token.name ?? token.id} (${token.id}, access full) saved in ${file}.`);
      } finally {
        // Best effort: the token is what we keep; the session is not needed any more.
        await client.request('POST', '/api/v1/auth/logout', asSession).catch(() => undefined);
      }
    });
};

/** Tokens need unique names per owner, so a second login on the same day gets `-2`, `-3`, ... */
const createToken = async (client: Client, asSession: { headers: Record<string, string> }): Promise<ApiTokenWithValue> => {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await client.request<ApiTokenWithValue>('POST', '/api/v1/tokens', {
        ...asSession, body: { name: tokenName(attempt), access: 'full', comment: `created by tessera login on ${hostname()}`.slice(0, 255) },
      });
      return r.data;
    } catch (e) {
      if (attempt < 20 && e instanceof CliError && e.message.startsWith('CONFLICT:')) continue;
      throw e;
    }
  }
};
