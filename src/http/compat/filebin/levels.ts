/**
 * FileBin's access levels `basic < apikey < full` on Tessera's `read < write < full`. The order is the same on both
 * sides, so "at least this level" means the same thing in either vocabulary.
 */
import type { Access } from '../../../core/access.js';

export const FILEBIN_LEVELS = ['basic', 'apikey', 'full'] as const;
export type FileBinLevel = (typeof FILEBIN_LEVELS)[number];

const TO_ACCESS: Record<FileBinLevel, Access> = { basic: 'read', apikey: 'write', full: 'full' };
const FROM_ACCESS: Record<Access, FileBinLevel> = { read: 'basic', write: 'apikey', full: 'full' };

export const isFileBinLevel = (v: unknown): v is FileBinLevel => typeof v === 'string' && (FILEBIN_LEVELS as readonly string[]).includes(v);
export const toAccess = (l: FileBinLevel): Access => TO_ACCESS[l];
export const fromAccess = (a: Access): FileBinLevel => FROM_ACCESS[a];
