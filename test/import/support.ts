/** Shared pieces of the import tests: the fixtures (shaped like each product's own storage) and an import call. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Harness } from '../helpers.js';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/import');
export const fixture = (name: string): string => resolve(FIXTURES, name);

/** A CSV fixture as rows (the fixtures have no quoted commas; the CLI tests read them with csv-parse). */
export const csvRows = (name: string): Record<string, string>[] => {
  const [head, ...lines] = readFileSync(fixture(name), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
};
export const jsonRows = (name: string): Record<string, unknown>[] => {
  const text = readFileSync(fixture(name), 'utf8');
  return text.trimStart().startsWith('[') ? JSON.parse(text) : text.trim().split('\n').map((l) => JSON.parse(l));
};

export interface Report { imported: number; skipped: number; refused: number; created_users: string[]; rows: { line: number; reason: string; message: string; source_id?: string }[] }

export const importRows = async (h: Harness, body: Record<string, unknown>, headers: Record<string, string> = { cookie: h.adminCookie }): Promise<Report> => {
  const r = await h.req({ method: 'POST', url: '/api/v1/tokens/import', headers, payload: body });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
};

/** The native verify answer's code for a value. */
export const verifyCode = async (h: Harness, token: string): Promise<string> =>
  (await h.req({ method: 'POST', url: '/api/v1/verify', headers: { cookie: h.adminCookie }, payload: { token } })).json().code;
