/**
 * The chat commands of Meeseeks (seed 000): `token-new`, `tokens`, `token-revoke`, `help`. Every chat face (the CLI's
 * `tessera chat`, `POST /api/v1/chat`, the Slack slash command) calls `handle` with the caller and whether the
 * conversation is direct (private); the answer is always a reply text, as in a chat.
 *
 * Rules (Meeseeks's, plus what it lacked):
 * - only admins may use the token commands, and only in a direct conversation: a token created in an open channel
 *   would leak to everyone in it. Refused → a clear reply, and nothing is created;
 * - `token-new` checks that the user, the command and the channel exist (Meeseeks stored whatever was typed). Whether
 *   the user may run the command is NOT checked here: it is checked each time the token is used (seed 000);
 * - `token-revoke` of an unknown token is an error (Meeseeks said "revoked" for anything);
 * - listings show token ids, never values.
 */
import type { RequestContext } from '../principal.js';
import { isAdmin } from '../principal.js';
import { fail, isFault, TesseraError } from '../errors.js';
import type { Clock, Store } from '../ports.js';
import type { TokenService, TokenView } from '../tokens/service.js';
import { type ChatCommand, HELP_TEXT, parseChat } from './grammar.js';
import { verifySlackSignature } from './slack.js';
import { publicUser } from '../types.js';
import { commandLine } from '../jobs/messages.js';

export interface ChatReply {
  /** false when the command was refused or failed; the text says why. */
  ok: boolean;
  text: string;
}

export interface Conversation {
  /** A private conversation with the caller only (a DM, the CLI, the native API); token management needs one. */
  direct: boolean;
  /** Which face it came from, for the audit log. */
  via: 'api' | 'cli' | 'slack';
}

/** What the chat needs to know about configured commands and channels (CommandService and ChannelService). */
export interface ChatCatalog {
  commandExists(name: string): boolean;
  channelExists(name: string): boolean;
}

export interface ChatServiceDeps {
  store: Store;
  tokens: TokenService;
  catalog: ChatCatalog;
  /** Splits a line into words like a shell (src/runner/split.ts); throws on an unclosed quote. */
  split(line: string): string[];
  clock: Clock;
  /** Slack app signing secret; without it the Slack endpoint is off. */
  slackSigningSecret?: string;
}

/** A Slack slash-command request as received: the raw body (what is signed), its fields, the signing headers. */
export interface SlackRequest {
  rawBody: string;
  fields: Record<string, string>;
  timestamp?: string;
  signature?: string;
  ip: string | null;
  requestId: string | null;
}

export const MAX_LINE = 4096;

const reply = (ok: boolean, text: string): ChatReply => ({ ok, text });

export class ChatService {
  constructor(private readonly d: ChatServiceDeps) {}

  async handle(ctx: RequestContext, line: string, conv: Conversation): Promise<ChatReply> {
    if (line.length > MAX_LINE) return reply(false, `the line is too long (at most ${MAX_LINE} characters)`);
    let words: string[];
    try {
      words = this.d.split(line);
    } catch {
      return reply(false, 'unclosed quote on command');
    }
    const parsed = parseChat(words);
    if (!parsed.ok) return reply(false, parsed.error);
    const cmd = parsed.cmd;
    if (cmd.kind === 'help') return reply(true, HELP_TEXT);
    if (!ctx.principal?.user || !isAdmin(ctx.principal)) return reply(false, `only admins may use ${cmd.kind}`);
    if (!conv.direct) {
      return reply(false, `${cmd.kind} works only in a direct message, so tokens do not leak to everyone in this channel; nothing was done`);
    }
    try {
      return await this.run(ctx, cmd, conv);
    } catch (e) {
      // A refusal by the token rules (access level, validation) is a reply; anything else is a real error.
      if (e instanceof TesseraError && !isFault(e.code)) return reply(false, e.message);
      throw e;
    }
  }

  /**
   * A Slack slash command: checks Slack's signature, maps the Slack user to the Tessera user with the same username
   * (`user_name`), and treats `channel_name=directmessage` as the only direct conversation.
   */
  async slack(req: SlackRequest): Promise<ChatReply> {
    const secret = this.d.slackSigningSecret;
    if (!secret) return fail('NOT_FOUND', 'the Slack endpoint is off: set slack_signing_secret (TESSERA_SLACK_SIGNING_SECRET)');
    const check = verifySlackSignature(secret, { timestamp: req.timestamp, signature: req.signature }, req.rawBody, this.d.clock.now());
    if (!check.ok) return fail('SLACK_SIGNATURE_INVALID', check.reason);
    const name = req.fields.user_name ?? '';
    const user = name === '' ? null : await this.d.store.getUserByLogin(name);
    if (!user || user.disabled) return reply(false, `no enabled Tessera user named '${name}': Slack users are matched to Tessera users by username`);
    const ctx: RequestContext = { principal: { type: 'user', user: publicUser(user), access: 'full' }, ip: req.ip, requestId: req.requestId };
    return this.handle(ctx, req.fields.text ?? '', { direct: req.fields.channel_name === 'directmessage', via: 'slack' });
  }

  private async run(ctx: RequestContext, cmd: Exclude<ChatCommand, { kind: 'help' }>, conv: Conversation): Promise<ChatReply> {
    switch (cmd.kind) {
      case 'token-new': {
        const user = await this.d.store.getUserByLogin(cmd.user);
        if (!user) return reply(false, `no user '${cmd.user}'`);
        if (!this.d.catalog.commandExists(cmd.command)) return reply(false, `no command '${cmd.command}'`);
        if (!this.d.catalog.channelExists(cmd.channel)) return reply(false, `no channel '${cmd.channel}'`);
        const r = await this.d.tokens.createBound(ctx, {
          owner: publicUser(user), binding: { command: cmd.command, args: cmd.args, channel: cmd.channel }, via: `chat:${conv.via}`,
        });
        return reply(true, `created token ${r.value}`);
      }
      case 'tokens': {
        let ownerId: number | undefined;
        if (cmd.user !== undefined) {
          const u = await this.d.store.getUserByLogin(cmd.user);
          if (!u) return reply(false, `no user '${cmd.user}'`);
          ownerId = u.id;
        }
        const list = await this.d.tokens.listBound(ctx, { ownerId, channel: cmd.channel, commandPrefix: cmd.command, limit: cmd.limit });
        if (list.length === 0) return reply(true, 'No tokens could be found');
        return reply(true, list.map(line).join('\n'));
      }
      case 'token-revoke': {
        const t = await this.find(ctx, cmd.ref);
        // A value is not echoed back (a reply may be read by others later); an id is.
        if (!t) return reply(false, cmd.ref.startsWith('tok_') ? `no command-bound token '${cmd.ref}'` : 'no command-bound token with that value');
        if (t.revokedAt !== null) return reply(false, `token *${t.id}* was already revoked`);
        await this.d.tokens.revoke(ctx, t.id);
        return reply(true, `Token *${t.id}* has been revoked`);
      }
    }
  }

  /** A bound token by id (`tok_…`) or by value. */
  private async find(ctx: RequestContext, ref: string): Promise<TokenView | null> {
    const t = await this.d.tokens.findByRef(ctx, ref);
    return t && t.kind === 'bound' ? t : null;
  }
}

/** Meeseeks's listing line: `- *<id>* @user at #channel _command args_`, plus the status when not active. */
const line = (t: TokenView): string => {
  const b = t.binding!;
  const text = commandLine(b.command, b.args);
  const status = t.status === 'active' ? '' : ` (${t.status})`;
  return `- *${t.id}* @${t.ownerName ?? `#${t.ownerId}`} at #${b.channel} _${text}_${status}`;
};
