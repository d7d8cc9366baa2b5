/**
 * WAL checkpoints on a thread of their own.
 *
 * SQLite in WAL mode appends every committed page to the -wal file, and copies them back into the database file in a
 * checkpoint. By default the connection that commits runs the checkpoint itself once the WAL holds 1,000 pages
 * (`wal_autocheckpoint`): a write of many random rows (the usage flush on a large store) then pays, inside its
 * commit, the copy of those pages and an fsync, on the event loop's thread — 30–50 ms a checkpoint on a store of a
 * million tokens (bench/README.md, "Checkpoints off the event loop"). Here the store's connection does no checkpoints
 * (`wal_autocheckpoint = 0`) and a worker thread with a connection of its own runs a PASSIVE checkpoint every
 * `everyMs`: it copies what no reader still needs, never waits for a reader or a writer, and leaves the rest for the
 * next round. A WAL that grows between rounds is what a burst of writes costs anyway; reads find pages in it as
 * before.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/** The thread's code: plain JavaScript (run with `eval`, so it works from src/ through tsx and from dist/ alike). */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const round = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next round */ } };
const timer = setInterval(round, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); round(); db.close(); parentPort.close(); }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  /**
   * `onFail`: the thread died (its connection could not open, the file was removed under it). The store's own
   * connection must then checkpoint again, or the WAL would grow until the store closes.
   */
  constructor(file: string, onFail: () => void, everyMs = 100) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { file, everyMs, driver: require.resolve('better-sqlite3') } });
    this.exited = new Promise((done) => this.worker.once('exit', () => done()));
    this.worker.on('error', onFail);
    this.worker.unref();
  }

  /** Runs a last round, closes the thread's connection and waits for the thread to end. */
  async stop(): Promise<void> {
    // Referenced again while it ends: the process must not exit with the store's close still waiting for it.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
