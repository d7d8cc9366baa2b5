/**
 * Commands, jobs and channels in a real browser: a user runs a command with arguments from the Commands page; the job
 * page shows it running, its first line while the command still runs (live, over the job's output stream), and the
 * rest without a reload when the command ends; the channel page receives the
 * outcome live over Server-Sent Events. The command waits for a file the test creates, so "running" is observed for
 * certain, never raced. A failing command's job shows its exit code and output. Screenshots of the jobs page (one job
 * running, then a succeeded and a failed one) and of a job's live output go to test/e2e/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import { logIn, requireChromium, screenshot, startUiServer, type UiServer } from './support.js';

if (requireChromium('web UI: commands, jobs and channels')) {
  describe('web UI: commands, jobs and channels', () => {
    let s: UiServer;
    let dir: string;
    const release = (name: string) => writeFileSync(join(dir, name), '');
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tessera-e2e-jobs-'));
      // $0 is the release file's name; the rest are the caller's arguments.
      const script = `echo "deploying $*"; while [ ! -e "${dir}/$0" ]; do sleep 0.05; done; echo "deployed $* after $0"`;
      const overrides = {
        groups: ['ops'],
        channels: { ops: {} },
        commands: {
          deploy: { id: 7, argv: ['/bin/sh', '-c', script, 'go-deploy'], args: { pattern: '[a-z0-9-]+' }, groups: ['ops'], timeout: 600, channel: 'ops', description: 'Deploy a service' },
          secret: { id: 8, argv: ['/bin/true'], groups: [] },
          check: { id: 9, argv: ['/bin/sh', '-c', 'echo "checking $1"; echo "disk full on $1" >&2; exit 3', 'check'], args: 'any', groups: ['ops'], channel: 'ops' },
        },
      } as unknown as Partial<Config>;
      s = await startUiServer(overrides);
      await s.h.createUser('olga', { groups: ['ops'], password: 'olga-password-1' });
    });
    after(async () => {
      release('go-deploy');
      await s?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('run a command with arguments from the Commands page; its output appears on the job page and the channel, live', async () => {
      const { page, problems } = await s.newPage();
      await logIn(page, 'olga', 'olga-password-1');
      // The channel page is open in a second tab before the job starts: the outcome must arrive over the stream.
      const channelTab = await page.context().newPage();
      await channelTab.goto('/channels/ops');
      await channelTab.getByRole('status').getByText('Live:').waitFor();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Commands' }).click();
      await page.getByRole('heading', { level: 1, name: 'Commands' }).waitFor();
      // Only the commands olga's groups allow.
      assert.equal(await page.getByRole('button', { name: 'Run secret' }).count(), 0);
      await page.getByRole('button', { name: 'Run deploy' }).click();
      const dialog = page.getByRole('dialog', { name: 'Run deploy' });
      // An argument the command's pattern refuses: the API's error is shown at the field.
      await dialog.getByLabel('Arguments').fill('Bad Arg!');
      await dialog.getByRole('button', { name: 'Run' }).click();
      await dialog.getByRole('alert').getByText('ARGS_REFUSED').waitFor();
      await dialog.getByLabel('Arguments').fill('billing-api\nv42');
      await dialog.getByRole('button', { name: 'Run' }).click();

      await page.waitForURL(/\/jobs\/\d+$/);
      const jobId = Number(page.url().split('/').pop());
      await page.getByRole('heading', { level: 1, name: `Job #${jobId}: deploy` }).waitFor();
      await page.locator('dd').getByText('running', { exact: true }).waitFor();
      // The first line is shown while the command still runs: it waits for the release file, which does not exist yet.
      const output = page.getByTestId('job-output');
      await output.getByText('deploying billing-api v42').waitFor();
      assert.equal((await output.textContent())?.trim(), 'deploying billing-api v42');
      await page.locator('dd').getByText('running', { exact: true }).waitFor();
      const stored = (await s.h.req({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: { cookie: s.h.adminCookie } })).json();
      assert.deepEqual([stored.status, stored.args, stored.user.username], ['running', ['billing-api', 'v42'], 'olga']);

      await page.getByRole('link', { name: 'All jobs' }).click();
      await page.getByRole('row').filter({ hasText: 'deploy' }).locator('td[data-label="Status"]').getByText('running').waitFor();
      await screenshot(page, 'jobs-page-running');
      await page.getByRole('link', { name: 'deploy' }).click();
      // Opening the running job again: what was printed so far comes first.
      await page.getByTestId('job-output').getByText('deploying billing-api v42').waitFor();
      await screenshot(page, 'job-page-live-output');

      release('go-deploy');
      await output.getByText('deployed billing-api v42 after go-deploy').waitFor();
      assert.equal((await output.textContent())?.trim(), 'deploying billing-api v42\ndeployed billing-api v42 after go-deploy');
      await page.locator('dd').getByText('succeeded', { exact: true }).waitFor();
      await page.locator('dd').getByText('0', { exact: true }).waitFor();

      // The outcome arrived in the channel tab without a reload.
      const message = channelTab.locator(`li.message`).filter({ has: channelTab.getByRole('link', { name: `job #${jobId}` }) });
      await message.waitFor();
      assert.match(await message.locator('pre').textContent() ?? '', /deploy/);

      await page.getByRole('link', { name: 'All jobs' }).click();
      await page.getByRole('row').filter({ hasText: 'deploy' }).locator('td[data-label="Status"]').getByText('succeeded').waitFor();
      assert.deepEqual(problems, []);
    });

    test('a failing command: the job page shows failed, its exit code and output; the outcome goes to the channel chosen in the Run dialog', async () => {
      const { page, problems } = await s.newPage();
      await logIn(page, 'olga', 'olga-password-1');
      await page.goto('/commands');
      await page.getByRole('button', { name: 'Run check' }).click();
      const dialog = page.getByRole('dialog', { name: 'Run check' });
      await dialog.getByLabel('Arguments').fill('web-1');
      await dialog.getByLabel('Channel').selectOption('default');
      await dialog.getByRole('button', { name: 'Run' }).click();
      await page.waitForURL(/\/jobs\/\d+$/);
      const jobId = Number(page.url().split('/').pop());
      await page.locator('dd').getByText('failed', { exact: true }).waitFor();
      await page.locator('dd').getByText('3', { exact: true }).waitFor();
      const output = await page.getByTestId('job-output').textContent();
      assert.match(output ?? '', /checking web-1/);
      assert.match(output ?? '', /disk full on web-1/);
      await page.locator('dd').getByRole('link', { name: 'default' }).click();
      await page.getByRole('heading', { level: 1, name: 'Channel default' }).waitFor();
      await page.locator('li.message').filter({ has: page.getByRole('link', { name: `job #${jobId}` }) }).waitFor();

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
      const rows = page.getByRole('table', { name: 'Jobs' }).locator('tbody tr');
      await rows.filter({ hasText: 'check' }).locator('td[data-label="Status"]').getByText('failed').waitFor();
      await rows.filter({ hasText: 'deploy' }).locator('td[data-label="Status"]').getByText('succeeded').waitFor();
      await screenshot(page, 'jobs-page');
      assert.deepEqual(problems, []);
    });

    test('an admin sees every command; a user without the group sees none and is refused the run', async () => {
      const admin = await s.newPage();
      await logIn(admin.page, 'admin', 'admin-password-1');
      await admin.page.goto('/commands');
      await admin.page.getByRole('button', { name: 'Run secret' }).waitFor();
      await admin.page.getByRole('button', { name: 'Run deploy' }).waitFor();

      await s.h.createUser('pat', { password: 'pat-password-1' });
      const pat = await s.newPage();
      await logIn(pat.page, 'pat', 'pat-password-1');
      await pat.page.goto('/commands');
      await pat.page.getByText('No commands for you.').waitFor();
      const status = await pat.page.evaluate(async () => (await fetch('/api/v1/commands/deploy/run', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: ['x'] }),
      })).status);
      assert.ok(status === 403 || status === 404, String(status));
    });
  });
}
