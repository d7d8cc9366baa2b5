/**
 * End-to-end support: a listening Tessera (the in-process harness on SQLite, serving the built web/dist) driven by
 * playwright-core with Debian's Chromium (`apt-get install -y chromium`; never `npx playwright install`).
 * Without /usr/bin/chromium the e2e suites skip with a visible message, unless TESSERA_REQUIRE_SERVICES=1 (CI), where
 * they fail.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Config } from '../../src/config/schema.js';
import { type Harness, startHarness } from '../helpers.js';
import { requireServices } from '../services.js';
import { ensureWebBuilt } from '../web/build.js';

export const CHROMIUM = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

/**
 * Whether the browser tests can run. When Chromium is missing: registers one visibly skipped test and returns false,
 * or, with TESSERA_REQUIRE_SERVICES=1, returns true so the suite runs and fails at launch.
 */
export const requireChromium = (suite: string): boolean => {
  if (existsSync(CHROMIUM) || requireServices()) return true;
  test(`${suite} — SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium)`, { skip: true }, () => {});
  return false;
};

export interface UiServer {
  h: Harness;
  origin: string;
  browser: Browser;
  /** A fresh browser profile (own cookies) with a page on the server; console errors and page errors are collected. */
  newPage(opts?: { width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page; problems: string[] }>;
  close(): Promise<void>;
}

export const startUiServer = async (overrides: Partial<Config> = {}): Promise<UiServer> => {
  await ensureWebBuilt();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (TESSERA_REQUIRE_SERVICES=1 needs it)`);
  const h = await startHarness(overrides);
  await h.t.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (h.t.app.server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  } catch (e) {
    await h.close();
    throw e;
  }
  const contexts: BrowserContext[] = [];
  return {
    h, origin, browser,
    async newPage({ width = 1280, height = 860 } = {}) {
      const context = await browser.newContext({ baseURL: origin, viewport: { width, height } });
      contexts.push(context);
      const page = await context.newPage();
      const problems: string[] = [];
      // A CSP violation, a failed script or an uncaught error shows up here; the tests expect none. An API call
      // answered 4xx is logged by Chromium too: that is the UI showing an error the test provoked, not a problem.
      page.on('console', (m) => {
        if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      return { context, page, problems };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await h.close();
    },
  };
};

/** Logs in through the login page and waits for the tokens page. */
export const logIn = async (page: Page, username: string, password: string): Promise<void> => {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Access tokens' }).waitFor();
};

export const screenshot = async (page: Page, name: string): Promise<string> => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
};
