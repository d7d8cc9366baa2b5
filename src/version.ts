/** The package version, from package.json (one place): read relative to this module, so it holds from src/ and from a build. */
import { readFileSync } from 'node:fs';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
