/** The services every face (HTTP, CLI, tests) is given by the composition root. */
import type { AuditService } from './audit/service.js';
import type { JwtService } from './auth/jwt.js';
import type { AuthService } from './auth/service.js';
import type { AuthzService } from './authz/service.js';
import type { ChannelService } from './channels/service.js';
import type { MessageService } from './chat/message.js';
import type { ChatService } from './chat/service.js';
import type { CommandService } from './commands/service.js';
import type { JobService } from './jobs/service.js';
import type { ImportService } from './import/service.js';
import type { LeakService } from './leaks/service.js';
import type { Clock, Store } from './ports.js';
import type { TokenService } from './tokens/service.js';
import type { Revocation } from './tokens/revocation.js';
import type { UsageRecorder } from './tokens/usage.js';
import type { Verifier } from './tokens/verifier.js';
import type { UserService } from './users/service.js';
import type { Metrics } from './metrics.js';
import type { WebhookService } from './webhooks/service.js';

export interface Services {
  store: Store;
  /** The clock every service reads (a test's fake one in tests). */
  clock: Clock;
  auth: AuthService;
  /** Roles, permissions, grants: what a user or token may do (core/authz). */
  authz: AuthzService;
  jwt: JwtService;
  users: UserService;
  tokens: TokenService;
  /** Revocation by value (anyone) and in bulk (admins). */
  revocation: Revocation;
  audit: AuditService;
  verifier: Verifier;
  usage: UsageRecorder;
  /** Configured commands; `start` runs one (every face: API, bound tokens, chat, Semaphore tasks). */
  commands: CommandService;
  jobs: JobService;
  channels: ChannelService;
  /** Meeseeks's chat commands (token-new, tokens, token-revoke, help) for every chat face. */
  chat: ChatService;
  /** `POST /message`: a command-bound token starts its command. */
  messages: MessageService;
  /** Secret-scanning reports: leaked tokens are revoked. */
  leaks: LeakService;
  /** What is recorded for GET /metrics (src/core/metrics.ts); absent: nothing. */
  metrics?: Metrics;
  /** Import of other products' tokens, keeping their values (admins). */
  imports: ImportService;
  /** Webhooks (issue 16): endpoints, deliveries, redelivery; also the sink for events no audit row carries. */
  webhooks: WebhookService;
}
