/**
 * "The database cannot be reached" as one error: every driver error that means the connection is gone or cannot be
 * made becomes STORE_UNAVAILABLE (503), never a 500. The mapping wraps Kysely's driver, so every query, transaction
 * statement and connection checkout of the PostgreSQL store goes through it.
 */
import type { DatabaseConnection, Dialect, Driver, Kysely, QueryCompiler, TransactionSettings } from 'kysely';
import { TesseraError } from '../../core/errors.js';
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

export class StoreUnavailable extends TesseraError {
  constructor(readonly reason: string) {
    super('STORE_UNAVAILABLE', 'the database cannot be reached; try again later');
  }
}

const mapped = (e: unknown): unknown => {
  if (e instanceof TesseraError || !isUnavailable(e)) return e;
  const err = e as { code?: string; message?: string };
  return new StoreUnavailable([err.code, err.message].filter(Boolean).join(': ') || 'connection error');
};

const guard = async <T>(p: Promise<T>): Promise<T> => {
  try {
    return await p;
  } catch (e) {
    throw mapped(e);
  }
};

/** A connection whose query errors are mapped; `inner` is what the wrapped driver knows. */
class MappedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}
  executeQuery: DatabaseConnection['executeQuery'] = (q) => guard(this.inner.executeQuery(q));
  streamQuery: DatabaseConnection['streamQuery'] = (q, chunk) => this.inner.streamQuery(q, chunk);
}

const unwrap = (c: DatabaseConnection): DatabaseConnection => (c instanceof MappedConnection ? c.inner : c);

class MappedDriver implements Driver {
  constructor(private readonly inner: Driver) {}
  init(): Promise<void> { return guard(this.inner.init()); }
  async acquireConnection(): Promise<DatabaseConnection> { return new MappedConnection(await guard(this.inner.acquireConnection())); }
  // The transaction statements run through the wrapped connection, so their errors are mapped too.
  beginTransaction(c: DatabaseConnection, s: TransactionSettings): Promise<void> { return this.inner.beginTransaction(c, s); }
  commitTransaction(c: DatabaseConnection): Promise<void> { return this.inner.commitTransaction(c); }
  rollbackTransaction(c: DatabaseConnection): Promise<void> { return this.inner.rollbackTransaction(c); }
  async savepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> { await this.inner.savepoint?.(c, name, compile); }
  async rollbackToSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> { await this.inner.rollbackToSavepoint?.(c, name, compile); }
  async releaseSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> { await this.inner.releaseSavepoint?.(c, name, compile); }
  releaseConnection(c: DatabaseConnection): Promise<void> { return this.inner.releaseConnection(unwrap(c)); }
  destroy(): Promise<void> { return this.inner.destroy(); }
}

/**
 * The same dialect with unreachable-database errors mapped to STORE_UNAVAILABLE, and schema introspection limited to
 * the current schema (see introspector.ts).
 */
export const mapUnavailable = (d: Dialect): Dialect => ({
  createDriver: () => new MappedDriver(d.createDriver()),
  createQueryCompiler: () => d.createQueryCompiler(),
  createAdapter: () => d.createAdapter(),
  createIntrospector: (db: Kysely<any>) => new CurrentSchemaIntrospector(db),
});
