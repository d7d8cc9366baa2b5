/**
 * Where `tessera login` keeps the server URL and the token every later command uses:
 * $TESSERA_CLI_CONFIG, else $XDG_CONFIG_HOME/tessera/credentials.json, else ~/.config/tessera/credentials.json.
 * The token is a `full` credential, so the file is private to the user (0600, directory 0700), like ~/.ssh; an existing
 * default directory open to others is made 0700 on the next login.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './output.js';

/** `token_id` names the token for `tessera logout` when the server cannot be asked (files from before it lack it). */
export interface StoredCredentials { url: string; token: string; token_id?: string }

export const credentialsPath = (env: NodeJS.ProcessEnv = process.env): string => {
  if (env.TESSERA_CLI_CONFIG) return env.TESSERA_CLI_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'tessera', 'credentials.json');
};

/** The stored credentials, or null when nobody has logged in yet. A damaged file is an error, not "logged out". */
export const readCredentials = (env: NodeJS.ProcessEnv = process.env): StoredCredentials | null => {
  const path = credentialsPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { throw new CliError(`${path} is not valid JSON; run 'tessera login' again`); }
  const c = doc as Partial<StoredCredentials> | null;
  if (!c || typeof c.url !== 'string' || typeof c.token !== 'string') {
    throw new CliError(`${path} must hold {"url", "token"}; run 'tessera login' again`);
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    process.stderr.write(`tessera: warning: ${path} is readable by other users; run: chmod 600 ${path}\n`);
  }
  return { url: c.url, token: c.token, ...(typeof c.token_id === 'string' ? { token_id: c.token_id } : {}) };
};

/** Forgets the stored login (no error when there is none); returns the file's path. */
export const deleteCredentials = (env: NodeJS.ProcessEnv = process.env): string => {
  const path = credentialsPath(env);
  try { rmSync(path, { force: true }); } catch (e) { throw new CliError(`cannot delete ${path}: ${(e as Error).message}`); }
  return path;
};

/**
 * Writes to a temporary file created 0600 and renames it over the old one, so the token is never readable by
 * others (not even for a moment) and a crash never leaves half a file.
 */
export const writeCredentials = (creds: StoredCredentials, env: NodeJS.ProcessEnv = process.env): string => {
  const path = credentialsPath(env);
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Our own directory (not one named by $TESSERA_CLI_CONFIG, which may be shared, like /tmp) is kept private too.
    if (!env.TESSERA_CLI_CONFIG && process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    chmodSync(tmp, 0o600); // in case the temp name already existed with a wider mode
    renameSync(tmp, path);
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`);
  }
  return path;
};
