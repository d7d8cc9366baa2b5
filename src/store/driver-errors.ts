/**
 * "The database cannot be reached or written" as one error: a driver error that means the store is gone, busy past
 * its wait, full or failing (each dialect says which: postgres/errors.ts, sqlite/errors.ts) becomes
 * STORE_UNAVAILABLE (503), never a 500. The mapping wraps Kysely's driver, so every query, transaction statement and
 * connection checkout of the store goes through it.
 */
import type { CompiledQuery, DatabaseConnection, DatabaseIntrospector, Dialect, Driver, Kysely, QueryCompiler, QueryResult, TransactionSettings } from 'kysely';
import { TesseraError } from '../core/errors.js';

export class StoreUnavailable extends TesseraError {
  constructor(readonly reason: string) {
    super('STORE_UNAVAILABLE', 'the database cannot be reached; try again later');
  }
}

/** What a dialect tells the wrapper. */
export interface DriverErrorRules {
  /** Whether a driver error means the store cannot be used now (rather than a bad query or a constraint). */
  unavailable(e: unknown): boolean;
  /**
   * Whether a failed ROLLBACK only says there was no transaction left to undo (SQLite ends a transaction itself on
   * some errors, a full disk among them): the statement's own error is then the one reported, not the rollback's.
   */
  nothingToRollBack?(e: unknown): boolean;
  introspector?(db: Kysely<any>): DatabaseIntrospector;
}

/** `e` as the store reports it: STORE_UNAVAILABLE when the dialect's rules say so, else unchanged. */
export const storeError = (e: unknown, rules: DriverErrorRules): unknown => {
  if (e instanceof TesseraError || !rules.unavailable(e)) return e;
  const err = e as { code?: string; message?: string };
  return new StoreUnavailable([err.code, err.message].filter(Boolean).join(': ') || 'connection error');
};

const guard = async <T>(p: Promise<T>, rules: DriverErrorRules): Promise<T> => {
  try {
    return await p;
  } catch (e) {
    throw storeError(e, rules);
  }
};

/** A connection whose query errors are mapped; `inner` is what the wrapped driver knows. */
class MappedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection, private readonly rules: DriverErrorRules) {}
  executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    let p: Promise<QueryResult<R>>;
    try {
      p = this.inner.executeQuery<R>(q); // SQLite's driver throws at once (better-sqlite3 is synchronous)
    } catch (e) {
      return Promise.reject(storeError(e, this.rules));
    }
    return guard(p, this.rules);
  }
  streamQuery: DatabaseConnection['streamQuery'] = (q, chunk) => this.inner.streamQuery(q, chunk);
}

const unwrap = (c: DatabaseConnection): DatabaseConnection => (c instanceof MappedConnection ? c.inner : c);

class MappedDriver implements Driver {
  constructor(private readonly inner: Driver, private readonly rules: DriverErrorRules) {}
  init(): Promise<void> { return guard(this.inner.init(), this.rules); }
  async acquireConnection(): Promise<DatabaseConnection> { return new MappedConnection(await guard(this.inner.acquireConnection(), this.rules), this.rules); }
  // The transaction statements run through the wrapped connection, so their errors are mapped too.
  beginTransaction(c: DatabaseConnection, s: TransactionSettings): Promise<void> { return this.inner.beginTransaction(c, s); }
  commitTransaction(c: DatabaseConnection): Promise<void> { return this.inner.commitTransaction(c); }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    try {
      await this.inner.rollbackTransaction(c);
    } catch (e) {
      if (!this.rules.nothingToRollBack?.(e)) throw e;
    }
  }
  async savepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> { await this.inner.savepoint?.(c, name, compile); }
  async rollbackToSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> { await this.inner.rollbackToSavepoint?.(c, name, compile); }
  async releaseSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> { await this.inner.releaseSavepoint?.(c, name, compile); }
  releaseConnection(c: DatabaseConnection): Promise<void> { return this.inner.releaseConnection(unwrap(c)); }
  destroy(): Promise<void> { return this.inner.destroy(); }
}

/** The same dialect with its store-unavailable errors mapped to STORE_UNAVAILABLE (and the dialect's introspector). */
export const mapDriverErrors = (d: Dialect, rules: DriverErrorRules): Dialect => ({
  createDriver: () => new MappedDriver(d.createDriver(), rules),
  createQueryCompiler: () => d.createQueryCompiler(),
  createAdapter: () => d.createAdapter(),
  createIntrospector: (db: Kysely<any>) => rules.introspector?.(db) ?? d.createIntrospector(db),
});
