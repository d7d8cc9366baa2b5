/**
 * "The database cannot be reached", PostgreSQL's part: which driver errors mean the connection is gone or cannot be
 * made (STORE_UNAVAILABLE, 503, through the driver wrapper of ../driver-errors.ts).
 */
import type { Dialect, Kysely } from 'kysely';
import { TesseraError } from '../../core/errors.js';
import { mapDriverErrors } from '../driver-errors.js';
import { CurrentSchemaIntrospector } from './introspector.js';

const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ECONNABORTED']);
// SQLSTATE: 57P01 admin_shutdown (pg_terminate_backend), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up
// or shutting down), 53300 too_many_connections; class 08 is "connection exception". Refusals of a new connection:
// 3D000 the database does not exist (dropped, renamed), 28000/28P01 the login is refused; and a database that takes
// no connections (`ALTER DATABASE … ALLOW_CONNECTIONS false`: 55000 with its own message, the code alone being broader).
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '3D000', '28000', '28P01']);
const MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Connection refused|terminating connection|the database system is (starting up|shutting down)|is not currently accepting connections/i;

/** Whether a driver error means the database is unreachable (rather than a bad query or a constraint). */
export const isUnavailable = (e: unknown): boolean => {
  if (e instanceof TesseraError) return e.code === 'STORE_UNAVAILABLE';
  const err = e as { code?: unknown; message?: unknown; errors?: unknown[] } | null;
  if (!err || typeof err !== 'object') return false;
  const code = typeof err.code === 'string' ? err.code : '';
  if (NET_CODES.has(code) || PG_CODES.has(code) || /^08...$/.test(code)) return true;
  // node's net reports several failed addresses (IPv4 and IPv6) as one AggregateError.
  if (Array.isArray(err.errors) && err.errors.length > 0 && err.errors.every(isUnavailable)) return true;
  return typeof err.message === 'string' && MESSAGES.test(err.message);
};

/**
 * The PostgreSQL dialect with unreachable-database errors mapped to STORE_UNAVAILABLE, and schema introspection
 * limited to the current schema (see introspector.ts).
 */
export const mapUnavailable = (d: Dialect): Dialect => mapDriverErrors(d, {
  unavailable: isUnavailable,
  introspector: (db: Kysely<any>) => new CurrentSchemaIntrospector(db),
});
