/**
 * The audit log as a hash chain (issue 16): every row stores the hash of the row before it and its own hash over
 * that and its content, so an edited, removed or inserted row breaks the chain from there on. The store computes each
 * row's hash inside the transaction that appends it (with the current head locked), so nodes never fork the chain.
 * Rows pruned by `audit.retention_days` leave the oldest kept row's `prevHash` as the anchor.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../types.js';

/** The hash of a row: SHA-256 hex over the previous hash and the row's fields (its id is not known before insert). */
export const chainHash = (prev: string | null, e: Omit<AuditEvent, 'id'>): string => createHash('sha256')
  .update(JSON.stringify([prev, e.at, e.actorType, e.actorId, e.actorName, e.action, e.targetType, e.targetId, e.ip, e.requestId, e.details]))
  .digest('hex');

export interface ChainedEvent extends AuditEvent { prevHash: string | null; hash: string | null }

/**
 * Walks rows in id order and returns the first one that breaks the chain (its hash does not match its content, or
 * its `prevHash` is not the previous row's hash); rows from before the chain (no hash) are counted at the start, and
 * the chain's first row after them must link to none.
 */
export class ChainCheck {
  private last: string | null | undefined = undefined;
  checked = 0;
  /** Rows before the chain's first (written before it began: migration 010), which no link covers. */
  unchained = 0;
  broken: { id: number; reason: string } | null = null;

  add(e: ChainedEvent): void {
    if (this.broken) return;
    if (e.hash === null) {
      if (this.last !== undefined) this.broken = { id: e.id, reason: 'the row has no hash, in the middle of the chain' };
      else this.unchained++;
      return;
    }
    // The chain's first row after rows from before it began (an upgrade) links to nothing: the head started empty, and
    // retention prunes the oldest rows first, so none of the chain's rows can have gone while older ones are left. A
    // link there means the rows before it were the chain's and lost their hashes.
    if (this.last === undefined && this.unchained > 0 && e.prevHash !== null) { this.broken = { id: e.id, reason: 'the rows before it lost their hashes (its prev_hash links to a row that has none)' }; return; }
    if (this.last !== undefined && e.prevHash !== this.last) { this.broken = { id: e.id, reason: 'its prev_hash is not the previous row\'s hash (a row was removed or inserted before it)' }; return; }
    const { prevHash: _p, hash: _h, id: _i, ...content } = e;
    if (chainHash(e.prevHash, content) !== e.hash) { this.broken = { id: e.id, reason: 'its hash does not match its content (the row was edited)' }; return; }
    this.last = e.hash;
    this.checked++;
  }
}
