/**
 * `POST /message` (Meeseeks, seed 000): a command-bound token starts its command. What the route hands over: the
 * `TOKEN` value, the optional `message` text (split like a shell line, never given to a shell, appended to the
 * token's fixed arguments) and, for an Alertmanager notification, the parsed JSON body (it becomes environment
 * variables, see alertmanager.ts).
 *
 * The token must be a live bound token; anything else is refused here (400 no token, 401 unknown/revoked/expired/
 * inactive, 403 not a bound token). Everything after that is decided when the command starts, as the seed says:
 * a user who may not run the command (group removed, user disabled) or extra arguments the command's policy refuses
 * still get 202 and a job, `rejected`, whose refusal is posted to the token's channel.
 */
import type { RequestContext } from '../principal.js';
import { verifyError } from '../auth/codes.js';
import type { CommandService } from '../commands/service.js';
import { fail, invalid } from '../errors.js';
import type { Verifier } from '../tokens/verifier.js';
import { alertEnv, checkAlertmanager } from './alertmanager.js';
import type { Clock } from '../ports.js';
import type { CodeCounter } from '../metrics.js';

export interface MessageInput {
  /** The TOKEN header (or Bearer) value; undefined or empty when the request had none. */
  token: string | undefined;
  /** The `message` form field. */
  message?: string;
  /** A JSON body that looks like an Alertmanager notification. */
  alert?: unknown;
}

export const MESSAGE_MAX = 4096;

export class MessageService {
  constructor(private readonly d: {
    verifier: Verifier;
    clock: Clock;
    commands: Pick<CommandService, 'start'>;
    /** Splits a line into words like a shell (src/runner/split.ts); throws on an unclosed quote. */
    split(line: string): string[];
    /** Counts each bound-token verification by its code (face `compat`, src/core/metrics.ts). */
    codes?: CodeCounter;
    /** Whether a value is one of Tessera's JWTs (JwtService.isOwn): never a command-bound token. */
    isJwt?: (value: string) => boolean;
  }) {}

  /** Starts the token's command; returns the job id (the job may already be `rejected`, see above: then `refused` is its reason). */
  async trigger(ctx: RequestContext, input: MessageInput): Promise<{ jobId: number; refused?: string }> {
    const value = input.token?.trim();
    if (!value) return fail('TOKEN_MISSING', 'no token: send the command-bound token in the TOKEN header');
    if (this.d.isJwt?.(value)) return fail('TOKEN_NOT_BOUND', 'a JWT is not a command-bound token; POST /message takes only tokens made with the chat command token-new');
    const r = await this.d.verifier.verify(value, { use: 'bound', ip: ctx.ip });
    this.d.codes?.count(r.code);
    if (!r.valid) {
      if (r.code === 'BOUND') return fail('TOKEN_NOT_BOUND', 'this token is not a command-bound token; POST /message takes only tokens made with the chat command token-new');
      throw verifyError(r, this.d.clock.now());
    }
    const binding = r.token.binding;
    if (binding === null) return fail('TOKEN_NOT_BOUND', 'this token has no command binding');
    let extra: string[] = [];
    if (input.message !== undefined) {
      if (input.message.length > MESSAGE_MAX) invalid('message', `message may be at most ${MESSAGE_MAX} characters`);
      try {
        extra = this.d.split(input.message);
      } catch {
        return invalid('message', 'message: unclosed quote on command');
      }
    }
    const env = input.alert === undefined ? undefined : alertEnv(checkAlertmanager(input.alert));
    const principal = { type: 'token' as const, user: r.owner, token: r.token, access: r.token.access };
    const job = await this.d.commands.start({
      principal, command: binding.command, args: [...binding.args, ...extra], channel: binding.channel, trigger: 'token', tokenId: r.token.id,
      ...(env ? { env } : {}),
    }, { refusal: 'record', ctx: { ...ctx, principal } });
    return job.status === 'rejected' ? { jobId: job.id, refused: job.reason ?? 'refused' } : { jobId: job.id };
  }
}
