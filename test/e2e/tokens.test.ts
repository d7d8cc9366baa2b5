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
      const { page, context, problems } = await s.newPage();
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.origin });
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
      const shown = await created.getByLabel('Token value').inputValue();
      assert.match(shown, /^tsr_[A-Za-z0-9]+$/);
      // The Copy button puts exactly the value on the clipboard: the value used below is the one a person pastes.
      await created.getByRole('button', { name: 'Copy' }).click();
      await created.getByRole('button', { name: 'Copied' }).waitFor();
      const value = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(value, shown);
      await created.getByRole('button', { name: 'Done' }).click();
      await created.waitFor({ state: 'detached' });
      // Shown once: nothing on the page holds the value any more.
      assert.equal(await page.evaluate((v) => document.body.innerHTML.includes(v)
        || [...document.querySelectorAll('input, textarea')].some((e) => (e as HTMLInputElement).value.includes(v)), value), false);

      // The value works against the API, as the admin, with the access chosen in the dialog.
      const ok = await me(value);
      assert.equal(ok.status, 200);
      const body = await ok.json() as { user: { username: string }; credential: { token_id: string; access?: string } };
      assert.equal(body.user.username, 'admin');
      // Stored as chosen in the dialog: write access, the comment, and the 90-day preset.
      const stored = (await s.h.req({ method: 'GET', url: `/api/v1/tokens/${body.credential.token_id}`, headers: { cookie: s.h.adminCookie } })).json();
      assert.deepEqual([stored.name, stored.access, stored.comment], ['ci-deploy', 'write', 'GitHub Actions deploy job']);
      const days = (Date.parse(stored.expires_at) - Date.parse(stored.created_at)) / 86400_000;
      assert.ok(Math.abs(days - 90) < 0.01, `expires ${days} days after creation`);

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

      // Details: the address the value was used from (this test's own requests: loopback).
      await row.getByRole('button', { name: 'Actions for ci-deploy' }).click();
      await page.getByRole('menuitem', { name: 'Details…' }).click();
      const details = page.getByRole('dialog', { name: 'Details of ci-deploy' });
      await details.locator('[data-last-used-from] code').getByText('127.0.0.1', { exact: true }).waitFor();
      await details.getByRole('button', { name: 'Done' }).click();
      await details.waitFor({ state: 'detached' });

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

    test('status badges for active, inactive, expired and revoked; deactivate and activate from the row menu', async () => {
      const on = await s.h.adminToken({ name: 'badge-active', access: 'read' });
      const expiring = await s.h.adminToken({ name: 'badge-expired', access: 'read', expires_in: 60 });
      const revoked = await s.h.adminToken({ name: 'badge-revoked', access: 'read' });
      await s.h.req({ method: 'DELETE', url: `/api/v1/tokens/${revoked.id}`, headers: { cookie: s.h.adminCookie } });
      s.h.clock.advance(61_000); // the server's clock: badge-expired is past its expiry
      assert.equal((await me(expiring.token)).status, 401);
      const { page, problems } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      const badge = (name: string) => page.getByRole('row').filter({ hasText: name }).locator('td[data-label="Status"]');
      await badge('badge-active').getByText('active', { exact: true }).waitFor();
      await badge('badge-expired').getByText('expired', { exact: true }).waitFor();
      await badge('badge-revoked').getByText('revoked', { exact: true }).waitFor();
      // A revoked token has no actions left; an expired one cannot be rotated.
      assert.equal(await page.getByRole('button', { name: 'Actions for badge-revoked' }).count(), 0);
      await page.getByRole('button', { name: 'Actions for badge-expired' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).waitFor();
      assert.equal(await page.getByRole('menuitem', { name: 'Rotate…' }).count(), 0);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Actions for badge-active' }).click();
      await page.getByRole('menuitem', { name: 'Deactivate' }).click();
      await badge('badge-active').getByText('inactive', { exact: true }).waitFor();
      const off = await me(on.token);
      assert.equal(off.status, 401);
      assert.equal((await off.json() as { error: { code: string } }).error.code, 'TOKEN_DISABLED');
      await page.getByRole('button', { name: 'Actions for badge-active' }).click();
      await page.getByRole('menuitem', { name: 'Activate' }).click();
      await badge('badge-active').getByText('active', { exact: true }).waitFor();
      assert.equal((await me(on.token)).status, 200);
      assert.deepEqual(problems, []);
    });

    test('create dialog: an expiry date, a service token (admins), a refused name shown at its field; revoke can be cancelled', async () => {
      const { page, problems } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'New token' }).click();
      const dialog = page.getByRole('dialog', { name: 'New token' });
      await dialog.getByLabel('Expires').selectOption('date');
      const day = await dialog.getByLabel('Expiry date').getAttribute('min'); // tomorrow, in the browser's time zone
      assert.match(day ?? '', /^\d{4}-\d{2}-\d{2}$/);
      await dialog.getByLabel('Expiry date').fill(day!);
      // A service token needs a name: the server's refusal is shown under the Name field, with its code.
      await dialog.getByLabel(/Service token/).check();
      await page.getByRole('dialog', { name: 'New service token' }).getByRole('button', { name: 'Create token' }).click();
      const named = page.getByRole('dialog', { name: 'New service token' }).locator('.field.invalid').filter({ has: page.getByLabel('Name') });
      await named.getByRole('alert').getByText('VALIDATION_ERROR').waitFor();
      await named.getByText('name is required for service tokens').waitFor();
      await page.getByRole('dialog', { name: 'New service token' }).getByLabel('Name').fill('dated-service');
      await page.getByRole('dialog', { name: 'New service token' }).getByRole('button', { name: 'Create token' }).click();
      const created = page.getByRole('dialog', { name: 'Token created' });
      await created.getByText('you will not see it again').waitFor();
      await created.getByRole('button', { name: 'Done' }).click();

      const list = (await s.h.req({ method: 'GET', url: '/api/v1/tokens?owner=*&kind=service', headers: { cookie: s.h.adminCookie } })).json().items as
        { id: string; name: string; owner: unknown; expires_at: string }[];
      const t = list.find((x) => x.name === 'dated-service');
      assert.ok(t, JSON.stringify(list));
      assert.equal(t.owner, null);
      const endOfDay = await page.evaluate((d) => { const [y, m, dd] = d.split('-').map(Number); return new Date(y!, m! - 1, dd, 23, 59, 59).toISOString(); }, day!);
      assert.equal(Date.parse(t.expires_at), Date.parse(endOfDay));

      // Revoking asks first; Cancel leaves the token working.
      await page.getByRole('link', { name: 'Service tokens' }).click();
      await page.getByRole('button', { name: 'Actions for dated-service' }).click();
      await page.getByRole('menuitem', { name: 'Revoke…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke dated-service?' });
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'detached' });
      const still = (await s.h.req({ method: 'GET', url: `/api/v1/tokens/${t.id}`, headers: { cookie: s.h.adminCookie } })).json();
      assert.equal(still.status, 'active');
      assert.deepEqual(problems, []);
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
