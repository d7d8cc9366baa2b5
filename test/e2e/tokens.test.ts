/**
 * The tokens page in a real browser: log in, create a token and read its value from the dialog, use it from the test
 * against the API, revoke it in the UI and see the API refuse it. Screenshots of the tokens page and the create dialog
 * go to test/e2e/screenshots/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD } from '../helpers.js';
import { logIn, requireChromium, screenshot, startUiServer, type UiServer } from './support.js';

if (requireChromium('web UI: tokens')) {
  describe('web UI: tokens', () => {
    let s: UiServer;
    before(async () => { s = await startUiServer(); });
    after(async () => { await s?.close(); });

    const me = (token: string) => fetch(`${s.origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });

    test('log in, create a token, use its value from the dialog against the API, revoke it in the UI: the API refuses it', async () => {
      const { page, problems } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);

      // Some tokens to make the list real: one made over the API, one inactive.
      const other = await s.h.adminToken({ name: 'nightly-backup', access: 'read', comment: 'cron on db-1' });
      await s.h.req({ method: 'PATCH', url: `/api/v1/tokens/${other.id}`, headers: { cookie: s.h.adminCookie }, payload: { active: false } });
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Access tokens' }).waitFor();

      await page.getByRole('button', { name: 'New token' }).click();
      const dialog = page.getByRole('dialog', { name: 'New token' });
      await dialog.getByLabel('Name').fill('ci-deploy');
      await dialog.getByLabel('Comment').fill('GitHub Actions deploy job');
      await dialog.getByRole('radio', { name: /Write/ }).check();
      await dialog.getByLabel('Expires').selectOption('90');
      await screenshot(page, 'create-dialog');
      await dialog.getByRole('button', { name: 'Create token' }).click();

      const created = page.getByRole('dialog', { name: 'Token created' });
      await created.getByText('you will not see it again').waitFor();
      const value = await created.getByLabel('Token value').inputValue();
      assert.match(value, /^tsr_[A-Za-z0-9]+$/);
      await created.getByRole('button', { name: 'Copy' }).click();
      await created.getByRole('button', { name: 'Copied' }).waitFor();
      await created.getByRole('button', { name: 'Done' }).click();
      await created.waitFor({ state: 'detached' });

      // The value works against the API, as the admin, with the access chosen in the dialog.
      const ok = await me(value);
      assert.equal(ok.status, 200);
      const body = await ok.json() as { user: { username: string }; credential: { access?: string } };
      assert.equal(body.user.username, 'admin');

      // The table lists it: status badge, access, expiry and last used (a use is flushed within usage_flush_ms).
      const row = page.getByRole('row').filter({ hasText: 'ci-deploy' });
      await row.getByText('active', { exact: true }).waitFor();
      await row.getByText('write', { exact: true }).waitFor();
      await row.getByText('GitHub Actions deploy job').waitFor();
      assert.match(await row.locator('td[data-label="Expires"] time').getAttribute('datetime') ?? '', /^\d{4}-/);
      await page.getByRole('row').filter({ hasText: 'nightly-backup' }).getByText('inactive', { exact: true }).waitFor();
      await page.reload();
      await row.locator('td[data-label="Last used"] time').waitFor();
      await screenshot(page, 'tokens-page');

      // Revoke in the UI, with its confirmation.
      await row.getByRole('button', { name: 'Actions for ci-deploy' }).click();
      await page.getByRole('menuitem', { name: 'Revoke…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke ci-deploy?' });
      await confirm.getByText('cannot be undone').waitFor();
      await confirm.getByRole('button', { name: 'Revoke token' }).click();
      await confirm.waitFor({ state: 'detached' });
      await row.getByText('revoked', { exact: true }).waitFor();

      const refused = await me(value);
      assert.equal(refused.status, 401);
      assert.equal((await refused.json() as { error: { code: string } }).error.code, 'TOKEN_REVOKED');
      assert.deepEqual(problems, []);
    });

    test('an API error is shown next to its field with its code; the keyboard reaches the dialog and Escape closes it', async () => {
      const { page, problems } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'New token' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'New token' });
      // The name field gets focus (once the dialog has rendered: wait for it, a loaded machine renders late): a name
      // longer than the API allows is refused by the server, shown under the field.
      await page.waitForFunction((el) => el === document.activeElement, await dialog.getByLabel('Name').elementHandle());
      await page.keyboard.type('x'.repeat(100));
      await dialog.getByLabel('Name').evaluate((el: HTMLInputElement) => { el.removeAttribute('maxlength'); });
      await page.keyboard.type('-too-long');
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const err = dialog.locator('.field.invalid').filter({ has: page.getByLabel('Name') }).getByRole('alert');
      await err.getByText('VALIDATION_ERROR').waitFor();
      assert.equal(await dialog.getByLabel('Name').getAttribute('aria-invalid'), 'true');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      // Focus went back to the button that opened the dialog.
      await page.waitForFunction(() => document.activeElement?.textContent === 'New token', undefined, { timeout: 5000 });
      assert.deepEqual(problems, []);
    });

    test('rotate with a grace period shows the new value once; the old one keeps working', async () => {
      const old = await s.h.adminToken({ name: 'rotate-me', access: 'read' });
      const { page } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      const row = page.getByRole('row').filter({ hasText: 'rotate-me' });
      await row.getByRole('button', { name: 'Actions for rotate-me' }).click();
      await page.getByRole('menuitem', { name: 'Rotate…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Rotate rotate-me' });
      await dialog.getByLabel('Old value keeps working for').selectOption('3600');
      await dialog.getByRole('button', { name: 'Rotate token' }).click();
      const done = page.getByRole('dialog', { name: 'Token rotated' });
      const fresh = await done.getByLabel('Token value').inputValue();
      assert.notEqual(fresh, old.token);
      await done.getByText('keeps working for 1 hour').waitFor();
      assert.equal((await me(fresh)).status, 200);
      assert.equal((await me(old.token)).status, 200);
    });

    test('a phone-width window: no horizontal scrolling on the tokens page', async () => {
      await s.h.adminToken({ name: 'a-token-with-a-rather-long-name-for-phones', comment: 'to stretch the row' });
      const { page } = await s.newPage({ width: 375, height: 740 });
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByText('a-token-with-a-rather-long-name-for-phones').waitFor();
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scroll! <= client!, `page is ${scroll}px wide in a ${client}px window`);
      await screenshot(page, 'tokens-page-phone');
    });
  });
}
