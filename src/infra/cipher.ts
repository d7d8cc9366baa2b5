/**
 * AES-256-GCM for recoverable token values. Box format: `v1.<iv b64url>.<tag b64url>.<ciphertext b64url>`.
 * The key is 32 bytes: from TESSERA_SECRET_KEY (base64 or hex), or `secret.key` in the data directory, created
 * on first start with mode 0600.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cipher } from '../core/ports.js';

export const parseKey = (text: string): Buffer => {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('secret key must be 32 bytes, given as 64 hex characters or base64');
  return key;
};

export const loadOrCreateKey = (dataDir: string, fromEnv: string | undefined): Buffer => {
  if (fromEnv) return parseKey(fromEnv);
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8'));
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
};

export const aesGcmCipher = (key: Buffer): Cipher => ({
  encrypt(plain) {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  },
  decrypt(box) {
    const [v, iv, tag, ct] = box.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown ciphertext format');
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  },
});
