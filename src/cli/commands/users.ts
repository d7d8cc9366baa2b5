/**
 * `tessera users create|list` over the API (admins), and `users create --local`, which opens the data directory
 * directly (same TESSERA_* settings as `serve`) so an operator can make the first admin with no server running.
 */
import { type Command, Option } from 'commander';
import { TesseraError } from '../../core/errors.js';
import type { CreateUserInput } from '../../core/users/service.js';
import type { ApiUser } from '../api.js';
import { type Client, connect } from '../client.js';
import { CliError, note, out, printJson, table, when } from '../output.js';
import { list, positiveInt } from '../parse.js';
import { readSecret } from '../prompt.js';
import { type CommonOptions, fetchPages, withCommon } from './common.js';

interface CreateOptions extends CommonOptions {
  username: string; password?: string; passwordStdin?: boolean; role: 'admin' | 'user'; groups?: string[]; email?: string; local?: boolean;
}

const describe = (u: ApiUser): string =>
  `user ${u.username} (id ${u.id}, role ${u.role}${u.groups.length ? `, groups ${u.groups.join(', ')}` : ''}${u.disabled ? ', disabled' : ''})`;

/** Straight to the store, as the system: there may be no admin yet to act as (UserService's bootstrap path). */
/** Creates a user through the server (admins). */
const createRemote = (c: Client, input: { username: string; password: string; role?: ApiUser['role']; groups?: string[]; email?: string }): Promise<ApiUser> => c.call(c.api.POST('/api/v1/users', { body: input }));

const createLocal = async (input: CreateUserInput): Promise<ApiUser> => {
  // Imported here so the other commands start without loading the server (see index.ts).
  const { loadConfig } = await import('../../config/load.js');
  const { createUserOffline } = await import('../../main.js');
  const { startupFailure } = await import('./serve.js');
  const config = loadConfig(process.env, { log_level: 'silent' });
  try {
    return await createUserOffline(config, input);
  } catch (e) {
    if (e instanceof TesseraError && e.code !== 'STORE_UNAVAILABLE') throw new CliError(`${e.code}: ${e.message}`);
    // The data directory or the database cannot be used: one line naming it, as `serve` says it.
    throw startupFailure(e, config);
  }
};

export const usersCommand = (program: Command): void => {
  const users = program.command('users').description('manage user accounts (admins)');

  withCommon(users.command('create').description('create a user; the password is asked for unless given'))
    .requiredOption('--username <name>', 'login name')
    .option('--password <password>', 'the password (visible to other local users in `ps`; prefer the prompt or stdin)')
    .option('--password-stdin', 'read the password from stdin even if it is a terminal')
    .addOption(new Option('--role <role>', 'role').choices(['admin', 'user']).default('user'))
    .option('--groups <a,b>', 'comma-separated groups (for command permissions)', list)
    .option('--email <address>', 'email address')
    .addOption(new Option('--local', 'write to the data directory directly, without a server (uses TESSERA_* like serve)').conflicts('url'))
    .action(async (o: CreateOptions) => {
      const password = o.password ?? await readSecret('Password', { fromStdin: o.passwordStdin, confirm: true });
      const input = { username: o.username, password, role: o.role, groups: o.groups, email: o.email };
      const user = o.local ? await createLocal(input) : await createRemote(connect(o), input);
      if (o.json) printJson(user); else out(`Created ${describe(user)}.`);
    });

  withCommon(users.command('list').description('list users'))
    .option('--limit <n>', 'users per page (1-200)', positiveInt)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'follow every page')
    .action(async (o: CommonOptions & { limit?: number; cursor?: string; all?: boolean }) => {
      const c = connect(o);
      const page = await fetchPages((cursor) => c.call(c.api.GET('/api/v1/users', { params: { query: { limit: o.limit, cursor } } })), o.cursor, o.all === true);
      if (o.json) return printJson(page);
      table(['id', 'username', 'role', 'groups', 'disabled', 'created'], page.items.map((u) => [
        String(u.id), u.username, u.role, u.groups.join(','), u.disabled ? 'yes' : 'no', when(u.created_at),
      ]));
      if (page.next_cursor) note(`More users: add --cursor ${page.next_cursor} (or use --all).`);
    });
};
