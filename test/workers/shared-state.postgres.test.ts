/** Shared state of `tessera serve --workers 2` on PostgreSQL (rate limits in Redis, JWT keys in the database, jobs, webhooks). */
import { needPostgres } from '../multinode/support.js';
import { sharedStateCases } from './shared-state.js';

if (await needPostgres('workers on PostgreSQL: shared state')) await sharedStateCases('postgres');
