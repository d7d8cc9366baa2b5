/**
 * Admin pages in a real browser: service tokens, all tokens with filters, the audit log with filters, reveal of a
 * recoverable token, editing a token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD } from '../helpers.js';
import { logIn, requireChromium, startUiServer, type UiServer } from './support.js';

if (requireChromium('web UI: admin pages')) {
  describe('web UI: admin pages', () => {
    let s: UiServer;
    let erin: { id: number; token: string; tokenId: string };
    before(async () => {
      s = await startUiServer();
      erin = await s.h.createUser('erin');
    });
    after(async () => { await s?.close(); });

    test('a service token created on the Service tokens page (recoverable) works, and its value can be revealed', async () => {
      const { page, problems } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('link', { name: 'Service tokens' }).click();
      await page.getByRole('heading', { level: 1, name: 'Service tokens' }).waitFor();
      await page.getByRole('button', { name: 'New service token' }).click();
      const dialog = page.getByRole('dialog', { name: 'New service token' });
      await dialog.getByLabel('Name').fill('billing-sync');
      await dialog.getByLabel('Expires').selectOption('never');
      await dialog.getByLabel(/Recoverable/).check();
      await dialog.getByRole('button', { name: 'Create token' }).click();
      const created = page.getByRole('dialog', { name: 'Token created' });
      await created.getByText('you can reveal its value again').waitFor();
      assert.equal(await created.getByText('you will not see it again').count(), 0);
      const value = await created.getByLabel('Token value').inputValue();
      await created.getByRole('button', { name: 'Done' }).click();

      const stored = (await s.h.req({ method: 'GET', url: '/api/v1/tokens?owner=*&kind=service', headers: { cookie: s.h.adminCookie } })).json().items as { name: string; kind: string; recoverable: boolean; owner: unknown }[];
      assert.deepEqual(stored.map((t) => [t.name, t.kind, t.recoverable, t.owner]), [['billing-sync', 'service', true, null]]);
      const r = await fetch(`${s.origin}/api/v1/verify`, { method: 'POST', headers: { authorization: `Bearer ${value}`, 'content-type': 'application/json' }, body: JSON.stringify({ token: value }) });
      assert.equal(r.status, 200);

      const row = page.getByRole('row').filter({ hasText: 'billing-sync' });
      await row.getByText('never', { exact: true }).first().waitFor();
      await row.getByRole('button', { name: 'Actions for billing-sync' }).click();
      await page.getByRole('menuitem', { name: 'Reveal value…' }).click();
      const reveal = page.getByRole('dialog', { name: 'Reveal billing-sync' });
      await reveal.getByRole('button', { name: 'Reveal value' }).click();
      assert.equal(await reveal.getByLabel('Token value').inputValue(), value);
      assert.deepEqual(problems, []);
    });

    test('All tokens: everyone\'s tokens, filtered by owner, status and kind through the address bar', async () => {
      const { page } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('link', { name: 'All tokens' }).click();
      await page.getByRole('heading', { level: 1, name: 'All tokens' }).waitFor();
      await page.getByRole('row').filter({ hasText: 'erin-main' }).waitFor();
      await page.getByLabel('Owner').fill('erin');
      await page.getByLabel('Owner').press('Enter');
      await page.waitForURL(/owner=erin/);
      await page.getByRole('row').filter({ hasText: 'billing-sync' }).waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: 'erin-main' }).getByText('erin', { exact: true }).waitFor();
      assert.equal(await page.getByRole('table').locator('tbody tr').count(), 1);
      await page.getByLabel('Status').selectOption('revoked');
      await page.waitForURL(/status=revoked/);
      await page.getByText('No tokens with status revoked.').waitFor();
      // Kind: everyone's service tokens only.
      await page.getByLabel('Owner').fill('');
      await page.getByLabel('Owner').press('Enter');
      await page.getByLabel('Status').selectOption('');
      await page.getByLabel('Kind').selectOption('service');
      await page.waitForURL((u) => u.searchParams.get('kind') === 'service' && !u.searchParams.has('owner') && !u.searchParams.has('status'));
      await page.getByRole('row').filter({ hasText: 'erin-main' }).waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: 'billing-sync' }).waitFor();
      const owners = await page.getByRole('table').locator('tbody td[data-label="Owner"]').allTextContents();
      assert.ok(owners.length >= 1 && owners.every((o) => o === 'none'), owners.join());
    });

    test('editing a token in the dialog changes it on the server (name, access, inactive, expiry)', async () => {
      const t = await s.h.adminToken({ name: 'edit-me', access: 'full' });
      const { page } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      const row = page.getByRole('row').filter({ hasText: 'edit-me' });
      await row.getByRole('button', { name: 'Actions for edit-me' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit edit-me' });
      await dialog.getByLabel('Name').fill('edited');
      await dialog.getByRole('radio', { name: /Read/ }).check();
      await dialog.getByLabel(/^Active/).uncheck();
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('row').filter({ hasText: 'edited' }).getByText('inactive', { exact: true }).waitFor();
      const stored = (await s.h.req({ method: 'GET', url: `/api/v1/tokens/${t.id}`, headers: { cookie: s.h.adminCookie } })).json();
      assert.deepEqual([stored.name, stored.access, stored.active], ['edited', 'read', false]);
      const refused = await fetch(`${s.origin}/api/v1/auth/me`, { headers: { authorization: `Bearer ${t.token}` } });
      assert.equal(refused.status, 401);

      // The expiry: a date, then none again.
      await page.getByRole('row').filter({ hasText: 'edited' }).getByRole('button', { name: 'Actions for edited' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      const again = page.getByRole('dialog', { name: 'Edit edited' });
      await again.getByLabel('Expiry', { exact: true }).selectOption('date');
      const day = await again.getByLabel('Expiry date').getAttribute('min');
      await again.getByLabel('Expiry date').fill(day!);
      await again.getByRole('button', { name: 'Save changes' }).click();
      await again.waitFor({ state: 'detached' });
      const dated = (await s.h.req({ method: 'GET', url: `/api/v1/tokens/${t.id}`, headers: { cookie: s.h.adminCookie } })).json();
      const endOfDay = await page.evaluate((d) => { const [y, m, dd] = d.split('-').map(Number); return new Date(y!, m! - 1, dd, 23, 59, 59).toISOString(); }, day!);
      assert.equal(Date.parse(dated.expires_at), Date.parse(endOfDay));
      await page.getByRole('row').filter({ hasText: 'edited' }).locator('td[data-label="Expires"] time').waitFor();
      await page.getByRole('row').filter({ hasText: 'edited' }).getByRole('button', { name: 'Actions for edited' }).click();
      await page.getByRole('menuitem', { name: 'Edit' }).click();
      await again.getByLabel('Expiry', { exact: true }).selectOption('never');
      await again.getByRole('button', { name: 'Save changes' }).click();
      await again.waitFor({ state: 'detached' });
      assert.equal((await s.h.req({ method: 'GET', url: `/api/v1/tokens/${t.id}`, headers: { cookie: s.h.adminCookie } })).json().expires_at, null);
    });

    test('the audit log lists what happened, filtered by action, dates and actor', async () => {
      await s.h.req({ method: 'DELETE', url: `/api/v1/tokens/${erin.tokenId}`, headers: { cookie: s.h.adminCookie } });
      const { page } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      await page.getByRole('cell', { name: 'user.create' }).first().waitFor();
      await page.getByLabel('Action').fill('token.revoke');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/action=token\.revoke/);
      const rows = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr');
      await rows.first().getByText(erin.tokenId).waitFor();
      const actions = await rows.locator('td[data-label="Action"]').allTextContents();
      assert.ok(actions.length >= 1 && actions.every((a) => a === 'token.revoke'), actions.join());
      // Dates: from tomorrow on, nothing has happened yet; from today on, the revocation is there.
      const [today, tomorrow] = await page.evaluate(() => [0, 1].map((n) => {
        const d = new Date(Date.now() + n * 86400_000);
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      }));
      await page.getByLabel('From', { exact: true }).fill(tomorrow!);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText('No events match.').waitFor();
      await page.getByLabel('From', { exact: true }).fill(today!);
      await page.getByLabel('To', { exact: true }).fill(today!);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL((u) => u.searchParams.get('since') === today && u.searchParams.get('until') === today);
      await rows.first().getByText(erin.tokenId).waitFor();
      // A filter the API refuses is shown with its code.
      await page.getByLabel('Actor id').fill('x'.repeat(300));
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('alert').getByText('VALIDATION_ERROR').waitFor();
    });
  });
}
