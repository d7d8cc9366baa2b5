/**
 * GitHub secret scanning's request signatures: ECDSA P-256 with SHA-256 over the raw body, base64 (DER) in
 * `Github-Public-Key-Signature`, by the key named in `Github-Public-Key-Identifier`. The public keys are GitHub's list
 * (`{"public_keys": [{"key_identifier", "key" (PEM), "is_current"}]}`), read from a URL (GitHub's by default) or a
 * file, kept for an hour; an unknown key id reloads the list once (at most every 60 s, so garbage ids cannot make
 * Tessera hammer the URL).
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { LeakSignatures } from '../core/ports.js';

export const GITHUB_KEYS_URL = 'https://api.github.com/meta/public_keys/secret_scanning';

interface KeyList { public_keys?: { key_identifier?: unknown; key?: unknown }[] }

export const githubLeakSignatures = (source: { url?: string; file?: string }, now: () => number = Date.now): LeakSignatures => {
  let keys = new Map<string, KeyObject>();
  let loadedAt = -Infinity;
  let loading: Promise<void> | null = null;
  const load = async (): Promise<void> => {
    const text = source.file !== undefined ? await readFile(source.file, 'utf8')
      : await (await fetch(source.url ?? GITHUB_KEYS_URL, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } })).text();
    const list = JSON.parse(text) as KeyList;
    const next = new Map<string, KeyObject>();
    for (const k of list.public_keys ?? []) {
      if (typeof k.key_identifier !== 'string' || typeof k.key !== 'string') continue;
      try { next.set(k.key_identifier, createPublicKey(k.key)); } catch { /* a key we cannot read is skipped */ }
    }
    keys = next;
    loadedAt = now();
  };
  const reload = (force: boolean): Promise<void> => {
    const age = now() - loadedAt;
    if (!(age > 3_600_000 || (force && age > 60_000))) return Promise.resolve();
    loading ??= load().catch(() => undefined).finally(() => { loading = null; });
    return loading;
  };
  return {
    async verify(rawBody, keyId, signatureBase64) {
      await reload(false);
      if (!keys.has(keyId)) await reload(true);
      const key = keys.get(keyId);
      if (!key) return false;
      try {
        return verify('sha256', Buffer.from(rawBody, 'utf8'), key, Buffer.from(signatureBase64, 'base64'));
      } catch {
        return false;
      }
    },
  };
};
