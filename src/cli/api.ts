/** The wire shapes the CLI reads, taken from the server's own schemas so the two cannot drift apart. */
import type { Static } from 'typebox';
import type { TokenSchema, TokenWithValueSchema, UserSchema } from '../http/schemas.js';

export type ApiToken = Static<typeof TokenSchema>;
export type ApiTokenWithValue = Static<typeof TokenWithValueSchema>;
export type ApiUser = Static<typeof UserSchema>;
export interface ApiPage<T> { items: T[]; next_cursor: string | null }

export const ACCESS_CHOICES = ['read', 'write', 'full'] as const;
