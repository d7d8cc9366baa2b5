/**
 * Issue 14 in a real browser: the admin defines a permission and a role on the Roles page (picker from the
 * catalogue), then creates a token with a permission and the role; the server stores exactly that, and the token's
 * row shows it. A permission its owner does not hold is refused with the error on the field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD } from '../helpers.js';
import { logIn, requireChromium, startUiServer, type UiServer } from './support.js';

if (requireChromium('web UI: permissions and roles')) {
  describe('web UI: permissions and roles', () => {
    let s: UiServer;
    before(async () => { s = await startUiServer(); });
    after(async () => { await s?.close(); });

    test('define a permission and a role, then give a token both through the pickers', async () => {
      const { page, problems } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('link', { name: 'Roles' }).click();
      await page.getByRole('heading', { level: 1, name: 'Roles and permissions' }).waitFor();
      await page.getByRole('row').filter({ hasText: 'tessera:full' }).first().waitFor();

      const define = page.getByRole('form', { name: 'Define a permission' });
      await define.getByLabel('Permission name').fill('deploy:write');
      await define.getByLabel('Description').fill('ship a release');
      await define.getByRole('button', { name: 'Define' }).click();
      await page.locator('[data-permission="deploy:write"]').waitFor();

      await page.getByRole('button', { name: 'New role' }).click();
      const dialog = page.getByRole('dialog', { name: 'New role' });
      await dialog.getByLabel('Name').fill('deployer');
      await dialog.getByLabel(/^Permissions/).fill('deploy:*');
      await dialog.getByRole('button', { name: 'Add' }).click();
      await dialog.getByRole('button', { name: 'Remove deploy:*' }).waitFor();
      await dialog.getByRole('button', { name: 'Create role' }).click();
      await page.locator('[data-role="deployer"]').getByText('deploy:*').waitFor();

      await page.getByRole('link', { name: 'Access tokens' }).click();
      await page.getByRole('button', { name: 'New token' }).click();
      const create = page.getByRole('dialog', { name: 'New token' });
      await create.getByLabel('Name').fill('shipper');
      await create.getByLabel(/^Permissions/).fill('deploy:write');
      await create.getByLabel(/^Permissions/).press('Enter');
      await create.getByRole('button', { name: 'Remove deploy:write' }).waitFor();
      await create.getByLabel('deployer').check();
      await create.getByRole('button', { name: 'Create token' }).click();
      await page.getByRole('dialog', { name: 'Token created' }).getByRole('button', { name: 'Done' }).click();

      const stored = (await s.h.req({ method: 'GET', url: '/api/v1/tokens', headers: { cookie: s.h.adminCookie } })).json().items
        .find((t: { name: string }) => t.name === 'shipper');
      assert.deepEqual([stored.permissions, stored.roles], [['deploy:write'], ['deployer']]);
      await page.getByRole('row').filter({ hasText: 'shipper' }).locator('[data-permissions]').getByText('deploy:write').waitFor();
      assert.deepEqual(problems, []);
    });

    test('a permission the owner does not hold is refused on the field', async () => {
      await s.h.createUser('erin');
      const { page } = await s.newPage();
      await logIn(page, 'erin', 'erin-password');
      await page.getByRole('button', { name: 'New token' }).click();
      const create = page.getByRole('dialog', { name: 'New token' });
      await create.getByLabel(/^Permissions/).fill('billing:read');
      await create.getByRole('button', { name: 'Add' }).click();
      await create.getByRole('button', { name: 'Create token' }).click();
      await create.getByText(/does not hold 'billing:read'/).waitFor();
      assert.equal(await create.getByLabel(/^Permissions/).getAttribute('aria-invalid'), 'true');
    });
  });
}
