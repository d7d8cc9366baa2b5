/**
 * The wire shapes the CLI reads: the SDK's types, generated from the server's OpenAPI document (`npm run
 * sdk:generate`; test/web/sdk.test.ts fails when they are stale), so the CLI and the server cannot drift apart and the
 * CLI needs nothing from the server's code.
 */
import type { Access, Command, Job, JobStatus, Token, TokenKind, TokenStatus, TokenWithValue, User, WebhookEvent } from '../../sdk/index.js';

export type { Access, JobStatus, TokenKind, TokenStatus, WebhookEvent };

export type ApiToken = Token;
export type ApiTokenWithValue = TokenWithValue;
export type ApiUser = User;
export type ApiCommand = Command;
export type ApiJob = Job;
export interface ApiPage<T> { items: T[]; next_cursor: string | null }

export const ACCESS_CHOICES = ['read', 'write', 'full'] as const;
