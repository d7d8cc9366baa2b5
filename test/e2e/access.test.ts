/**
 * How the UI works for people who do not use a mouse or a wide screen, and how it is protected:
 * - every page and dialog fits a phone-width window (nothing sticks out), and every control, link and dialog has a
 *   name a screen reader can read out; one h1 per page;
 * - a token is created, copied, and revoked with the keyboard alone;
 * - the page is served with a strict Content-Security-Policy that the browser enforces (an injected inline script
 *   does not run).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Config } from '../../src/config/schema.js';
import { ADMIN_PASSWORD } from '../helpers.js';
import { logIn, requireChromium, screenshot, startUiServer, type UiServer } from './support.js';

/**
 * tsx compiles the functions below with esbuild's keepNames, which wraps named inner functions in a `__name` helper
 * that exists in Node, not in the page: give the page a do-nothing one first.
 */
const shim = (page: Page) => page.evaluate('globalThis.__name ??= (f) => f');

/** Elements that stick out of the window (the job output box scrolls on its own; sr-only text is clipped on purpose). */
const outside = (page: Page) => page.evaluate(() => {
  const out: string[] = [];
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth) out.push(`page is ${document.documentElement.scrollWidth}px wide`);
  for (const el of document.querySelectorAll<HTMLElement>('body *')) {
    if (el.closest('.sr-only, thead, .output')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > innerWidth + 0.5 || r.left < -0.5) out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${Math.round(r.left)}..${Math.round(r.right)}px: ${el.textContent?.slice(0, 40)}`);
  }
  return out;
});

/** Controls, links, images and dialogs without an accessible name; pages without exactly one h1. */
const unnamed = async (page: Page) => { await shim(page); return page.evaluate(() => {
  const bad: string[] = [];
  const byIds = (el: Element) => (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent?.trim() ?? '').join(' ').trim();
  // The text a screen reader reads: without what is hidden from it (aria-hidden, like the "⋯" of a menu button).
  const spoken = (el: Element) => {
    const c = el.cloneNode(true) as Element;
    for (const h of c.querySelectorAll('[aria-hidden="true"]')) h.remove();
    return c.textContent?.trim() ?? '';
  };
  const named = (el: HTMLElement) => !!(el.getAttribute('aria-label')?.trim() || byIds(el)
    || [...((el as HTMLInputElement).labels ?? [])].some((l) => spoken(l))
    || (!['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && spoken(el)) || el.getAttribute('title')?.trim());
  const visible = (el: HTMLElement) => el.getClientRects().length > 0;
  for (const el of document.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href], [role="menuitem"]')) {
    if ((el as HTMLInputElement).type === 'hidden' || !visible(el)) continue;
    if (!named(el)) bad.push(`unnamed ${el.outerHTML.slice(0, 100)}`);
  }
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) bad.push(`img without alt ${img.outerHTML.slice(0, 100)}`);
  for (const d of document.querySelectorAll<HTMLDialogElement>('dialog[open]')) if (!byIds(d) && !d.getAttribute('aria-label')) bad.push('dialog without a name');
  for (const t of document.querySelectorAll('table')) if (!t.getAttribute('aria-label') && !byIds(t)) bad.push('table without a name');
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) bad.push(`${h1} h1 elements`);
  return bad;
}); };

/** Presses Tab until the focused element's text or label matches, at most `max` times: the keyboard's way there. */
const tabTo = async (page: Page, name: RegExp, max = 25): Promise<void> => {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el && el !== document.body ? el.getAttribute('aria-label') ?? ([...(el.labels ?? [])].map((l) => l.textContent).join(' ') || el.textContent?.trim() || '') : '';
    });
    if (name.test(at)) return;
  }
  throw new Error(`Tab never reached ${name}`);
};

if (requireChromium('web UI: phone width, screen readers, keyboard, CSP')) {
  describe('web UI: phone width, screen readers, keyboard, CSP', () => {
    let s: UiServer;
    let jobId: number;
    before(async () => {
      const overrides = {
        groups: ['ops'], channels: { ops: {} },
        commands: { 'restart-web': { id: 3, argv: ['/bin/echo', 'restarted'], args: 'any', groups: ['ops'], channel: 'ops', description: 'Restart the web tier' } },
      } as unknown as Partial<Config>;
      s = await startUiServer(overrides);
      // Something on every page: a user, tokens of every kind with long names, a finished job and its channel message.
      await s.h.createUser('a-user-with-a-long-name', { groups: ['ops'] });
      await s.h.adminToken({ name: 'deploy-pipeline-for-the-billing-service', comment: 'used by the nightly release train', recoverable: true });
      await s.h.adminToken({ name: 'metrics-exporter-service', kind: 'service', access: 'read' });
      const run = await s.h.req({ method: 'POST', url: '/api/v1/commands/restart-web/run', headers: { cookie: s.h.adminCookie }, payload: { args: ['--region', 'eu-west-1'] } });
      jobId = run.json().id;
      for (let i = 0; i < 100; i++) {
        const j = (await s.h.req({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: { cookie: s.h.adminCookie } })).json();
        if (j.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    after(async () => { await s?.close(); });

    test('every page and dialog fits a 375px window, and everything a screen reader reads out has a name', async () => {
      const { page, problems } = await s.newPage({ width: 375, height: 740 });
      await logIn(page, 'admin', ADMIN_PASSWORD);
      const check = async (what: string) => {
        assert.deepEqual(await outside(page), [], `${what}: sticks out of a phone-width window`);
        assert.deepEqual(await unnamed(page), [], `${what}: not readable by a screen reader`);
      };
      const pages: [string, string][] = [
        ['/tokens', 'Access tokens'], ['/commands', 'Commands'], ['/jobs', 'Jobs'], [`/jobs/${jobId}`, `Job #${jobId}: restart-web`],
        ['/channels', 'Channels'], ['/channels/ops', 'Channel ops'], ['/admin/users', 'Users'], ['/admin/tokens', 'All tokens'],
        ['/admin/service-tokens', 'Service tokens'], ['/admin/audit', 'Audit log'],
      ];
      for (const [path, title] of pages) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        await page.locator('table, .empty, .facts, .messages, .link-list').first().waitFor();
        if (path === '/channels/ops') await page.locator('li.message').first().waitFor(); // the job's outcome
        await check(path);
      }

      // The dialogs, each at phone width.
      const dialogs: [string, () => Promise<void>, string][] = [
        ['/tokens', () => page.getByRole('button', { name: 'New token' }).click(), 'New token'],
        ['/tokens', async () => { await page.getByRole('button', { name: /^Actions for deploy-pipeline/ }).click(); await page.getByRole('menuitem', { name: 'Edit' }).click(); }, 'Edit deploy-pipeline-for-the-billing-service'],
        ['/tokens', async () => { await page.getByRole('button', { name: /^Actions for deploy-pipeline/ }).click(); await page.getByRole('menuitem', { name: 'Rotate…' }).click(); }, 'Rotate deploy-pipeline-for-the-billing-service'],
        ['/tokens', async () => { await page.getByRole('button', { name: /^Actions for deploy-pipeline/ }).click(); await page.getByRole('menuitem', { name: 'Reveal value…' }).click(); await page.getByRole('button', { name: 'Reveal value' }).click(); await page.getByLabel('Token value').waitFor(); }, 'Reveal deploy-pipeline-for-the-billing-service'],
        ['/tokens', async () => { await page.getByRole('button', { name: /^Actions for deploy-pipeline/ }).click(); await page.getByRole('menuitem', { name: 'Revoke…' }).click(); }, 'Revoke deploy-pipeline-for-the-billing-service?'],
        ['/tokens', async () => { await page.getByRole('button', { name: 'Account: admin' }).click(); await page.getByRole('menuitem', { name: 'Get token…' }).click(); await page.getByRole('button', { name: 'Get token' }).click(); await page.getByLabel('Token', { exact: true }).waitFor(); }, 'Get token'],
        ['/admin/users', () => page.getByRole('button', { name: 'New user' }).click(), 'New user'],
        ['/commands', () => page.getByRole('button', { name: 'Run restart-web' }).click(), 'Run restart-web'],
      ];
      for (const [path, open, name] of dialogs) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await open();
        await page.getByRole('dialog', { name }).waitFor();
        await check(`dialog ${name}`);
        if (name === 'New token') await screenshot(page, 'create-dialog-phone');
      }
      // The created token's value, at phone width.
      await page.goto('/tokens');
      await page.getByRole('button', { name: 'New token' }).click();
      await page.getByRole('dialog', { name: 'New token' }).getByRole('button', { name: 'Create token' }).click();
      await page.getByRole('dialog', { name: 'Token created' }).getByLabel('Token value').waitFor();
      await check('dialog Token created');
      assert.deepEqual(problems, []);
    });

    test('with the keyboard alone: skip to the content, create a token, copy its value, revoke it from the row menu', async () => {
      const { page, context, problems } = await s.newPage();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.origin });
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.goto('/tokens');
      await page.getByRole('heading', { level: 1, name: 'Access tokens' }).waitFor();
      // The first Tab reaches the skip link; following it, the next Tab is in the page, past the navigation.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'New token');
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'New token' });
      await page.waitForFunction((el) => el === document.activeElement, await dialog.getByLabel('Name').elementHandle());
      await page.keyboard.type('typed-by-keyboard');
      await tabTo(page, /^Read/); // the access radio group is one stop, on the chosen level; arrows choose within it
      await page.keyboard.press('ArrowDown');
      assert.equal(await dialog.getByRole('radio', { name: /Write/ }).isChecked(), true);
      await tabTo(page, /Create token/);
      await page.keyboard.press('Enter');
      const created = page.getByRole('dialog', { name: 'Token created' });
      const shown = await created.getByLabel('Token value').inputValue();
      await tabTo(page, /^Copy$/);
      await page.keyboard.press('Enter');
      await created.getByRole('button', { name: 'Copied' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
      await tabTo(page, /Done/);
      await page.keyboard.press('Enter');
      await created.waitFor({ state: 'detached' });
      const me = await fetch(`${s.origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${shown}` } });
      assert.equal(me.status, 200);
      assert.equal((await me.json() as { credential: { access: string } }).credential.access, 'write');

      // The row menu: Enter opens it on its first item, End goes to the last (Revoke…), Enter picks it.
      await page.getByRole('row').filter({ hasText: 'typed-by-keyboard' }).waitFor();
      await page.getByRole('button', { name: 'Account: admin' }).focus();
      await tabTo(page, /Actions for typed-by-keyboard/, 60);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem');
      await page.keyboard.press('End');
      await page.waitForFunction(() => document.activeElement?.textContent === 'Revoke…');
      await page.keyboard.press('Enter');
      const confirm = page.getByRole('dialog', { name: 'Revoke typed-by-keyboard?' });
      await confirm.waitFor();
      // The safe choice has focus: Enter right away would cancel.
      await page.waitForFunction(() => document.activeElement?.textContent === 'Cancel');
      await tabTo(page, /Revoke token/);
      await page.keyboard.press('Enter');
      await confirm.waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: 'typed-by-keyboard' }).getByText('revoked', { exact: true }).waitFor();
      assert.equal((await fetch(`${s.origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${shown}` } })).status, 401);
      assert.deepEqual(problems, []);
    });

    test('the page comes with a strict Content-Security-Policy, and the browser enforces it', async () => {
      const { page, problems } = await s.newPage();
      const response = await page.goto('/tokens');
      const csp = response?.headers()['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
      assert.deepEqual(problems, [], 'the UI itself needs no exception');
      // Script injected into the page (as an XSS would) is refused, and so is an inline style.
      const ran = await page.evaluate(async () => {
        const el = document.createElement('script');
        el.textContent = 'window.__injected = true';
        document.head.append(el);
        const p = document.createElement('p');
        p.setAttribute('style', 'color: rgb(255, 0, 0)');
        document.body.append(p);
        await new Promise((r) => setTimeout(r, 100));
        return [(window as unknown as { __injected?: boolean }).__injected === true, getComputedStyle(p).color === 'rgb(255, 0, 0)'];
      });
      assert.deepEqual(ran, [false, false]);
      assert.ok(problems.some((p) => /Content Security Policy/.test(p)), problems.join('\n'));
    });
  });
}
