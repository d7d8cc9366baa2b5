/**
 * Issue 16 in a real browser: the admin registers a webhook on the Webhooks page (secret shown once, and it verifies
 * the delivery a real receiver gets), opens its delivery log, redelivers an event, pauses and deletes the webhook.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import { ADMIN_PASSWORD } from '../helpers.js';
import { FAST, Receiver, verifySignature } from '../webhooks/support.js';
import { logIn, requireChromium, startUiServer, type UiServer } from './support.js';

if (requireChromium('web UI: webhooks')) {
  describe('web UI: webhooks', () => {
    let s: UiServer;
    let rx: Receiver;
    before(async () => { rx = await Receiver.start(); s = await startUiServer({ webhooks: FAST } as unknown as Partial<Config>); });
    after(async () => { await s?.close(); await rx?.close(); });

    test('create (secret once), see the delivery, redeliver, pause, delete', async () => {
      const { page, problems } = await s.newPage();
      await logIn(page, 'admin', ADMIN_PASSWORD);
      await page.getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
      await page.getByText('No webhooks yet.').waitFor();
      await page.getByRole('button', { name: 'New webhook' }).click();
      const dialog = page.getByRole('dialog', { name: 'New webhook' });
      await dialog.getByLabel('URL').fill(rx.url);
      await dialog.getByLabel('token.created').check();
      await dialog.getByLabel('Description').fill('from the UI');
      await dialog.getByRole('button', { name: 'Create webhook' }).click();
      const created = page.getByRole('dialog', { name: 'Webhook created' });
      const secret = await created.getByLabel('Signing secret').inputValue();
      assert.match(secret, /^whsec_/);
      await created.getByRole('button', { name: 'Done' }).click();
      const row = page.getByRole('row').filter({ hasText: rx.url });
      await row.getByText('token.created').waitFor();
      assert.ok(!(await page.content()).includes(secret.slice(6)), 'the secret is gone from the page');

      await s.h.adminToken({ name: 'ui-hook' });
      await rx.until((g) => g.length === 1);
      verifySignature(secret, rx.got[0]!);

      await row.getByRole('link', { name: rx.url }).click();
      await page.getByRole('heading', { level: 1, name: 'Webhook deliveries' }).waitFor();
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('row').filter({ hasText: 'token.created' }).getByText('delivered').waitFor();
      await page.getByRole('row').filter({ hasText: 'token.created' }).first().getByRole('button', { name: /^Redeliver token\.created/ }).click();
      await rx.until((g) => g.length === 2);
      assert.equal(rx.got[1]!.headers['webhook-id'], rx.got[0]!.headers['webhook-id']);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.locator('[data-delivery]').nth(1).waitFor();

      await page.getByRole('link', { name: 'All webhooks' }).click();
      await page.getByRole('button', { name: `Pause webhook ${rx.url}` }).click();
      await page.getByRole('row').filter({ hasText: rx.url }).getByText('inactive').waitFor();
      await page.getByRole('button', { name: `Delete webhook ${rx.url}` }).click();
      await page.getByText('No webhooks yet.').waitFor();
      assert.deepEqual((await s.h.req({ method: 'GET', url: '/api/v1/webhooks', headers: { cookie: s.h.adminCookie } })).json().items, []);
      assert.deepEqual(problems, []);
    });
  });
}
