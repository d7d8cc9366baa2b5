/**
 * Meeseeks-Box's token records (bbolt bucket `tokens`, key = the token UUID, value = JSON
 * `{"token","userLink","channelLink","text","created_on"}`). They become command-bound tokens: `text` is the command
 * and its fixed arguments (split on whitespace), `userLink` the user it runs as (`<@name>` or `<@U1|name>` → `name`, a Tessera
 * username), `channelLink` the channel it reports into (`<#id|name>` → `name`).
 */
import { type Adapter, RowError, str, time } from './record.js';

/** The name in a Slack link (`<#C1|ops>` → `ops`, `<@U1|alice>` → `alice`), else the id (`<@alice>` → `alice`). */
const inner = (link: string, re: RegExp): string => {
  const m = re.exec(link);
  return m ? (m[2] ?? m[1]!) : link.replace(/^[@#]/, '');
};

export const meeseeks: Adapter = (row) => {
  const value = str(row, 'token');
  if (!value) throw new RowError('MISSING_VALUE', 'the record has no token');
  const user = str(row, 'userLink', 'user_link');
  if (!user) throw new RowError('UNKNOWN_OWNER', 'the record has no userLink');
  const channelLink = str(row, 'channelLink', 'channel_link') ?? '';
  const channel = inner(channelLink, /^<#([^|>]*)\|([^>]*)>$/);
  const words = (str(row, 'text') ?? '').trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0 || channel === '') throw new RowError('INVALID_FIELD', 'the record needs a command (text) and a channel (channelLink)');
  return {
    value, kind: 'bound', owner: inner(user, /^<@([^>|]*)(?:\|([^>]*))?>$/),
    access: 'write', createdAt: time(row, 'created_on') ?? null,
    binding: { command: words[0]!, args: words.slice(1), channel }, metadata: { imported_from: 'meeseeks' },
  };
};
