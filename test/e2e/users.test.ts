/**
 * Users and sessions in a real browser: an admin creates a user in the UI, who logs in and cannot see the admin pages;
 * log out; disabling a user; single-user mode (provider none) has no login page.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
      await dialog.getByLabel('Groups').fill('ops, deploy');
      // A password the server refuses: its error, with the code, under the Password field.
      await dialog.getByLabel('Password').fill('short');
      await dialog.getByRole('button', { name: 'Create user' }).click();
      const pwField = dialog.locator('.field.invalid').filter({ has: admin.page.getByLabel('Password') });
      await pwField.getByRole('alert').getByText('password must be at least 8 characters').waitFor();
      await pwField.getByRole('alert').getByText('VALIDATION_ERROR', { exact: true }).waitFor();
      assert.equal(await dialog.getByLabel('Password').getAttribute('aria-invalid'), 'true');
      await dialog.getByLabel('Password').fill('dana-password-1');
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

    test('disable a user from the Users page: their open page falls back to the login page, their token is refused; enable and make admin', async () => {
      const fay = await s.h.createUser('fay', { password: 'fay-password-1' });
      const user = await s.newPage();
      await logIn(user.page, 'fay', 'fay-password-1');
      const admin = await s.newPage();
      await logIn(admin.page, 'admin', ADMIN_PASSWORD);
      await admin.page.goto('/admin/users');
      const row = admin.page.getByRole('row').filter({ hasText: 'fay' });
      await row.getByRole('button', { name: 'Actions for fay' }).click();
      await admin.page.getByRole('menuitem', { name: 'Disable' }).click();
      await row.locator('td[data-label="Status"]').getByText('disabled', { exact: true }).waitFor();

      const refused = await fetch(`${s.origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${fay.token}` } });
      assert.equal(refused.status, 401);
      assert.equal((await refused.json() as { error: { code: string } }).error.code, 'TOKEN_DISABLED');
      // Fay's open UI: the next page she opens finds her session gone and shows the login page.
      await user.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
      await user.page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
      await user.page.getByLabel('Username').fill('fay');
      await user.page.getByLabel('Password').fill('fay-password-1');
      await user.page.getByRole('button', { name: 'Log in' }).click();
      await user.page.getByRole('alert').getByText('INVALID_LOGIN').waitFor();

      // Enable again, and make her an admin in the edit dialog.
      await row.getByRole('button', { name: 'Actions for fay' }).click();
      await admin.page.getByRole('menuitem', { name: 'Enable' }).click();
      await row.locator('td[data-label="Status"]').getByText('enabled', { exact: true }).waitFor();
      await row.getByRole('button', { name: 'Actions for fay' }).click();
      await admin.page.getByRole('menuitem', { name: 'Edit…' }).click();
      const dialog = admin.page.getByRole('dialog', { name: 'Edit fay' });
      await dialog.getByRole('radio', { name: /Admin/ }).check();
      await dialog.getByLabel('Groups').fill('ops');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await dialog.waitFor({ state: 'detached' });
      await row.locator('td[data-label="Role"]').getByText('admin', { exact: true }).waitFor();
      await row.locator('td[data-label="Groups"]').getByText('ops', { exact: true }).waitFor();
      const stored = (await s.h.req({ method: 'GET', url: `/api/v1/users/${fay.id}`, headers: { cookie: s.h.adminCookie } })).json();
      assert.deepEqual([stored.role, stored.groups, stored.disabled], ['admin', ['ops'], false]);
      await logIn(user.page, 'fay', 'fay-password-1');
      await user.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).waitFor();
      assert.deepEqual(admin.problems, []);
    });

    test('a refused action is shown in the row it concerns: disabling the last admin', async () => {
      const { page, problems } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      // fay may be an admin by now: the only admin left must be admin, so demote everyone else first.
      for (const u of (await s.h.req({ method: 'GET', url: '/api/v1/users', headers: { cookie: s.h.adminCookie } })).json().items as { id: number; username: string; role: string }[]) {
        if (u.role === 'admin' && u.username !== 'admin') await s.h.req({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { cookie: s.h.adminCookie }, payload: { role: 'user' } });
      }
      await page.goto('/admin/users');
      const row = page.getByRole('row').filter({ has: page.getByText('(you)') });
      await row.getByRole('button', { name: 'Actions for admin' }).click();
      await page.getByRole('menuitem', { name: 'Disable' }).click();
      const alert = row.getByRole('alert');
      await alert.getByText('CONFLICT', { exact: true }).waitFor();
      await alert.getByText('this would leave no active admin').waitFor();
      await row.locator('td[data-label="Status"]').getByText('enabled', { exact: true }).waitFor();
      assert.deepEqual(problems, []);
    });

    test('log out from the profile menu, by keyboard: back to the login page, and the session no longer works', async () => {
      const { page, context } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      const cookie = (await context.cookies()).find((c) => c.name === 'tessera_session');
      assert.ok(cookie);
      await page.getByRole('button', { name: 'Account: admin' }).focus();
      await page.keyboard.press('ArrowDown');
      // ArrowDown opens the menu on its first item; End then jumps to the last.
      await page.waitForFunction(() => document.activeElement?.textContent === 'Get token…', undefined, { timeout: 5000 });
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
      // Meshplay's auth.json: a file whose token works too.
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download auth.json' }).click()]);
      assert.equal(download.suggestedFilename(), 'auth.json');
      const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Record<string, string>;
      assert.equal(file['meshplay-provider'], 'Local');
      const r2 = await fetch(`${s.origin}/api/v1/auth/me`, { headers: { 'meshplay-token': file.token! } });
      assert.equal(r2.status, 200);
    });

    test('a user\'s CLI login command names them; the API documentation is linked from the navigation', async () => {
      await s.h.createUser('gus', { password: 'gus-password-1' });
      const { page, problems } = await s.newPage();
      await logIn(page, 'gus', 'gus-password-1');
      await page.getByRole('button', { name: 'Account: gus' }).click();
      await page.getByRole('menuitem', { name: 'Get token…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Get token' });
      assert.equal(await dialog.getByLabel('Log the CLI in to this server').inputValue(), `tessera login --url ${s.origin} --username gus`);
      await dialog.getByRole('button', { name: 'Close' }).first().click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API docs' }).click();
      await page.waitForURL(`${s.origin}/docs`);
      await page.getByText('/api/v1/tokens', { exact: true }).first().waitFor();
      assert.deepEqual(problems, []);
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
      // Get token works without a login too: the JWT acts as admin.
      await page.getByRole('menuitem', { name: 'Get token…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Get token' });
      await dialog.getByRole('button', { name: 'Get token' }).click();
      const jwt = await dialog.getByLabel('Token', { exact: true }).inputValue();
      const r = await fetch(`${s.origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${jwt}` } });
      assert.equal(r.status, 200);
      assert.deepEqual([(await r.json() as { credential: { jwt: boolean } }).credential.jwt], [true]);
      assert.deepEqual(problems, []);
    });
  });
}
