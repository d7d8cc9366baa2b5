/** Shared state of `tessera serve --workers 2` on SQLite (rate limits in Redis, JWT keys as files, jobs, webhooks). */
import { sharedStateCases } from './shared-state.js';

await sharedStateCases('sqlite');
