/**
 * The web UI when things go wrong (found from outside, in a real browser): a logout the server never got, a list
 * whose reload failed, a menu opened with ArrowDown, an admin who demotes themselves, a date cleared from the form.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD } from '../helpers.js';
import { logIn, requireChromium, startUiServer, type UiServer } from './support.js';

if (requireChromium('web UI: when things go wrong')) {
  describe('web UI: when things go wrong', () => {
    let s: UiServer;
    before(async () => {
      s = await startUiServer();
      const alice = await s.h.createUser('alice');
      for (const name of ['a-one', 'a-two']) await s.h.req({ method: 'POST', url: '/api/v1/tokens', headers: { authorization: `Bearer ${alice.token}` }, payload: { name } });
      const bob = await s.h.req({ method: 'POST', url: '/api/v1/users', headers: { cookie: s.h.adminCookie }, payload: { username: 'bob', password: 'bob-password-1', role: 'admin' } });
      assert.equal(bob.statusCode, 201, bob.body);
    });
    after(async () => { await s?.close(); });

    test('a logout the server never got says so, and the session stays', async () => {
      const { page, context, problems } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      // The request fails on the way (the server unreachable): the browser's own failure, not an answer.
      await page.route('**/api/v1/auth/logout', (r) => r.abort('connectionrefused'));
      await page.getByRole('button', { name: /^Account/ }).click();
      await page.getByRole('menuitem', { name: 'Log out' }).click();
      await page.getByRole('alert').getByText('You are still logged in').waitFor();
      await page.getByRole('heading', { level: 1, name: 'Access tokens' }).waitFor();
      // The session is indeed still valid; once the server answers, logging out works.
      assert.equal(await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status), 200);
      await page.unroute('**/api/v1/auth/logout');
      await page.getByRole('button', { name: /^Account/ }).click();
      await page.getByRole('menuitem', { name: 'Log out' }).click();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      assert.equal(await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status), 401);
      assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(p)), []);
      await context.close();
    });

    test('a list whose load failed shows the error, not the rows of the last question', async () => {
      const { page, context } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.goto('/admin/tokens?owner=alice');
      await page.getByRole('row').filter({ hasText: 'a-one' }).waitFor();
      await page.getByLabel('Owner').fill('nosuchuser');
      await page.getByLabel('Owner').press('Enter');
      await page.getByText('VALIDATION_ERROR', { exact: true }).waitFor();
      assert.equal(await page.getByRole('row').filter({ hasText: 'a-one' }).count(), 0, 'alice\'s rows are gone with her filter');
      await context.close();
    });

    test('ArrowDown on a menu button opens the menu on its first item', async () => {
      const { page, context } = await s.newPage();
      await logIn(page, 'alice', 'alice-password');
      await page.getByRole('button', { name: 'Actions for a-one' }).focus();
      await page.keyboard.press('ArrowDown');
      const first = (await page.getByRole('menuitem').allInnerTexts())[0];
      assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), first);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: /^Account/ }).focus();
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Get token…');
      await context.close();
    });

    test('an admin who makes themselves a user loses the admin pages at once', async () => {
      const { page, context } = await s.newPage();
      await logIn(page, 'bob', 'bob-password-1');
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      await page.getByRole('button', { name: 'Actions for bob' }).click();
      await page.getByRole('menuitem', { name: 'Edit…' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('radio', { name: /^User/ }).check();
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('heading', { level: 1, name: 'Admins only' }).waitFor();
      assert.equal(await nav.getByRole('link', { name: 'All tokens' }).count(), 0);
      await context.close();
    });

    test('"On a date…" with the date cleared: the form says to pick one, under the date field; nothing is sent', async () => {
      const { page, context, problems } = await s.newPage();
      await logIn(page, 'alice', 'alice-password');
      let sent = 0;
      page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/tokens')) sent++; });
      await page.getByRole('button', { name: 'New token' }).click();
      const dialog = page.getByRole('dialog', { name: 'New token' });
      await dialog.getByLabel('Name').fill('no-date');
      await dialog.getByLabel('Expires').selectOption('date');
      await dialog.getByLabel('Expiry date').fill('');
      // The browser's own check of the required field is bypassed: the form's must hold alone.
      await dialog.locator('form').evaluate((f) => { (f as HTMLFormElement).noValidate = true; });
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const field = dialog.locator('.field.invalid').filter({ has: page.getByLabel('Expiry date') });
      await field.getByText('Pick the day the token stops working.').waitFor();
      assert.equal(sent, 0);
      assert.deepEqual(problems, []);
      await context.close();
    });
  });
}
