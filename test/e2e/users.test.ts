/**
 * Users and sessions in a real browser: an admin creates a user in the UI, who logs in and cannot see the admin pages;
 * log out; disabling a user; single-user mode (provider none) has no login page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD } from '../helpers.js';
import { logIn, requireChromium, startUiServer, type UiServer } from './support.js';

if (requireChromium('web UI: users and sessions')) {
  describe('web UI: users and sessions', () => {
    let s: UiServer;
    before(async () => { s = await startUiServer(); });
    after(async () => { await s?.close(); });

    test('an admin creates a user in the UI; the user logs in, sees no admin pages and is refused them', async () => {
      const admin = await s.newPage();
      await logIn(admin.page, 'admin', ADMIN_PASSWORD);
      await admin.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
      await admin.page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
      await admin.page.getByRole('button', { name: 'New user' }).click();
      const dialog = admin.page.getByRole('dialog', { name: 'New user' });
      await dialog.getByLabel('Username').fill('dana');
      await dialog.getByLabel('Password').fill('dana-password-1');
      await dialog.getByLabel('Groups').fill('ops, deploy');
      await dialog.getByRole('button', { name: 'Create user' }).click();
      await dialog.waitFor({ state: 'detached' });
      const row = admin.page.getByRole('row').filter({ hasText: 'dana' });
      await row.getByText('ops', { exact: true }).waitFor();
      await row.getByText('deploy', { exact: true }).waitFor();
      await row.getByText('user', { exact: true }).waitFor();

      // Stored as entered: over the API, the user exists with the role and groups chosen in the dialog.
      const users = (await s.h.req({ method: 'GET', url: '/api/v1/users', headers: { cookie: s.h.adminCookie } })).json().items as { username: string; role: string; groups: string[] }[];
      const dana = users.find((u) => u.username === 'dana');
      assert.deepEqual({ role: dana?.role, groups: dana?.groups }, { role: 'user', groups: ['deploy', 'ops'] });

      const user = await s.newPage();
      await logIn(user.page, 'dana', 'dana-password-1');
      const nav = user.page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Access tokens' }).waitFor();
      for (const name of ['Users', 'All tokens', 'Service tokens', 'Audit log']) assert.equal(await nav.getByRole('link', { name }).count(), 0, name);
      await user.page.goto('/admin/users');
      await user.page.getByRole('heading', { level: 1, name: 'Admins only' }).waitFor();
      assert.equal(await user.page.getByRole('table').count(), 0);
      // The create dialog offers no service token to a user.
      await user.page.goto('/tokens');
      await user.page.getByRole('button', { name: 'New token' }).click();
      await user.page.getByRole('dialog', { name: 'New token' }).getByLabel('Name').waitFor();
      assert.equal(await user.page.getByLabel(/Service token/).count(), 0);
      // And the server refuses the admin API to their session too (the UI only hides it).
      const api = await user.page.evaluate(async () => (await fetch('/api/v1/users')).status);
      assert.equal(api, 403);
      assert.deepEqual(user.problems, []);
    });

    test('log out from the profile menu, by keyboard: back to the login page, and the session no longer works', async () => {
      const { page, context } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      const cookie = (await context.cookies()).find((c) => c.name === 'tessera_session');
      assert.ok(cookie);
      await page.getByRole('button', { name: 'Account: admin' }).focus();
      await page.keyboard.press('ArrowDown');
      await page.getByRole('menuitem', { name: 'Get token…' }).waitFor();
      await page.keyboard.press('End');
      await page.waitForFunction(() => document.activeElement?.textContent === 'Log out', undefined, { timeout: 5000 });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
      const me = await s.h.req({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: `tessera_session=${cookie.value}` } });
      assert.equal(me.statusCode, 401);
    });

    test('a wrong password is shown on the login page in words with its code', async () => {
      const { page } = await s.newPage();
      await page.goto('/');
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Log in' }).click();
      const alert = page.getByRole('alert');
      await alert.getByText('Wrong username or password.').waitFor();
      await alert.getByText('INVALID_LOGIN').waitFor();
    });

    test('Get token: a JWT that works against the API, and the CLI login command', async () => {
      const { page } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Account: admin' }).click();
      await page.getByRole('menuitem', { name: 'Get token…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Get token' });
      await dialog.getByRole('button', { name: 'Get token' }).click();
      const jwt = await dialog.getByLabel('Token', { exact: true }).inputValue();
      assert.equal(jwt.split('.').length, 3);
      const r = await fetch(`${s.origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${jwt}` } });
      assert.equal(r.status, 200);
      assert.equal(await dialog.getByLabel('Log the CLI in to this server').inputValue(), `tessera login --url ${s.origin}`);
    });
  });

  describe('web UI: single-user mode (provider none)', () => {
    let s: UiServer;
    before(async () => { s = await startUiServer({ provider: 'none', host: '127.0.0.1' }); });
    after(async () => { await s?.close(); });

    test('no login page: the tokens page opens at once, acting as the admin, with no Log out', async () => {
      const { page, problems } = await s.newPage();
      await page.goto('/');
      await page.getByRole('heading', { level: 1, name: 'Access tokens' }).waitFor();
      await page.getByText('Single-user mode').waitFor();
      assert.equal(await page.getByLabel('Password').count(), 0);
      await page.getByRole('button', { name: /^Account:/ }).click();
      await page.getByRole('menuitem', { name: 'Get token…' }).waitFor();
      assert.equal(await page.getByRole('menuitem', { name: 'Log out' }).count(), 0);
      assert.deepEqual(problems, []);
    });
  });
}
