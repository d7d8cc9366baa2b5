/**
 * The chat grammar of Meeseeks's token commands (seed 000), on words already split like a shell line:
 *
 *   token-new @user #channel command [args...]
 *   tokens [-user U] [-channel C] [-command prefix] [-limit N]
 *   token-revoke <token or id>
 *   help
 *
 * Users and channels may be written plainly (`@alice`, `#ops`, or bare `alice`, `ops`) or as Slack escapes
 * (`<@U123|alice>`, `<#C1|ops>`); a Slack user escape without a name (`<@U123>`) cannot be mapped to a Tessera user
 * and is refused. Flags are written as Go's `flag` package reads them (Meeseeks is Go): `-user x`, `--user x`,
 * `-user=x`. Error texts follow Meeseeks where it has one (`not enough arguments passed in`, `only one token ID should
 * be passed as an argument`). Pure: no I/O, nothing here looks a name up.
 */

export type ChatCommand =
  | { kind: 'help' }
  | { kind: 'token-new'; user: string; channel: string; command: string; args: string[] }
  | { kind: 'tokens'; user?: string; channel?: string; command?: string; limit: number }
  | { kind: 'token-revoke'; ref: string };

export type ParseResult = { ok: true; cmd: ChatCommand } | { ok: false; error: string };

export const DEFAULT_LIST_LIMIT = 5;
export const MAX_LIST_LIMIT = 200;

/** The names the grammar knows; everything else is an unknown command. */
export const CHAT_COMMANDS = ['token-new', 'tokens', 'token-revoke', 'help'] as const;

const SLACK_USER = /^<@([A-Z0-9]+)(?:\|([^>]*))?>$/i;
const SLACK_CHANNEL = /^<#([A-Z0-9]+)(?:\|([^>]*))?>$/i;

/** `@alice`, `alice` or `<@U123|alice>` → `alice`; an error text for what cannot name a user. */
export const userName = (word: string): { ok: true; name: string } | { ok: false; error: string } => {
  const m = SLACK_USER.exec(word);
  if (m) {
    if (m[2] === undefined || m[2] === '') return { ok: false, error: `cannot tell which user ${word} is: write @username, or let Slack send <@ID|username>` };
    return { ok: true, name: m[2] };
  }
  const name = word.startsWith('@') ? word.slice(1) : word;
  if (name.length === 0 || name.startsWith('<') || name.startsWith('#')) return { ok: false, error: `'${word}' is not a user: write @username` };
  return { ok: true, name };
};

/** `#ops`, `ops` or `<#C1|ops>` → `ops`. */
export const channelName = (word: string): { ok: true; name: string } | { ok: false; error: string } => {
  const m = SLACK_CHANNEL.exec(word);
  if (m) {
    if (m[2] === undefined || m[2] === '') return { ok: false, error: `cannot tell which channel ${word} is: write #channel, or let Slack send <#ID|name>` };
    return { ok: true, name: m[2] };
  }
  const name = word.startsWith('#') ? word.slice(1) : word;
  if (name.length === 0 || name.startsWith('<') || name.startsWith('@')) return { ok: false, error: `'${word}' is not a channel: write #channel` };
  return { ok: true, name };
};

const err = (error: string): ParseResult => ({ ok: false, error });

const FLAGS = ['user', 'channel', 'command', 'limit'] as const;
type Flag = (typeof FLAGS)[number];

const parseTokens = (words: string[]): ParseResult => {
  const seen: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const m = /^--?([a-z]+)(?:=(.*))?$/s.exec(w);
    if (!m) return err(`unexpected argument '${w}'; usage: tokens [-user U] [-channel C] [-command prefix] [-limit N]`);
    const flag = m[1] as Flag;
    if (!FLAGS.includes(flag)) return err(`unknown flag '-${m[1]}'; usage: tokens [-user U] [-channel C] [-command prefix] [-limit N]`);
    let value = m[2];
    if (value === undefined) {
      if (i + 1 >= words.length) return err(`flag -${flag} needs a value`);
      value = words[++i]!;
    }
    seen[flag] = value;
  }
  let limit = DEFAULT_LIST_LIMIT;
  if (seen.limit !== undefined) {
    if (!/^\d+$/.test(seen.limit) || Number(seen.limit) < 1 || Number(seen.limit) > MAX_LIST_LIMIT) {
      return err(`-limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got '${seen.limit}'`);
    }
    limit = Number(seen.limit);
  }
  const cmd: ChatCommand = { kind: 'tokens', limit };
  if (seen.user !== undefined) {
    const u = userName(seen.user);
    if (!u.ok) return err(u.error);
    cmd.user = u.name;
  }
  if (seen.channel !== undefined) {
    const c = channelName(seen.channel);
    if (!c.ok) return err(c.error);
    cmd.channel = c.name;
  }
  if (seen.command !== undefined) cmd.command = seen.command;
  return { ok: true, cmd };
};

/** Parses one chat line's words (the first is the command). An empty line is `help`. */
export const parseChat = (words: readonly string[]): ParseResult => {
  if (words.length === 0) return { ok: true, cmd: { kind: 'help' } };
  const [name, ...rest] = words as [string, ...string[]];
  switch (name) {
    case 'help':
      return { ok: true, cmd: { kind: 'help' } };
    case 'token-new': {
      if (rest.length < 3) return err('not enough arguments passed in; usage: token-new @user #channel command [args...]');
      const u = userName(rest[0]!);
      if (!u.ok) return err(u.error);
      const c = channelName(rest[1]!);
      if (!c.ok) return err(c.error);
      return { ok: true, cmd: { kind: 'token-new', user: u.name, channel: c.name, command: rest[2]!, args: rest.slice(3) } };
    }
    case 'tokens':
      return parseTokens(rest);
    case 'token-revoke':
      if (rest.length !== 1) return err('only one token ID should be passed as an argument; usage: token-revoke <token or id>');
      return { ok: true, cmd: { kind: 'token-revoke', ref: rest[0]! } };
    default:
      return err(`unknown command '${name}'; the commands are ${CHAT_COMMANDS.join(', ')} (try help)`);
  }
};

export const HELP_TEXT = [
  'Command-bound tokens (admins, in a direct conversation only):',
  '- token-new @user #channel command [args...]: a token that runs command with args as @user, reporting into #channel; use it with `curl -X POST -H "TOKEN: <token>" <server>/message`',
  `- tokens [-user U] [-channel C] [-command prefix] [-limit N]: the live command-bound tokens (${DEFAULT_LIST_LIMIT} unless -limit)`,
  '- token-revoke <token or id>: revoke one (it stops working at once)',
  '- help: this text',
].join('\n');
