// The run-wide webServer: one per run, on the port the config leased; `baseURL` points at it.
import { expect, leaseRunPort, test } from '@portlease/playwright';

test('the run-wide server answers at baseURL', async ({ page, baseURL }) => {
  await page.goto('/');
  await expect(page.getByTestId('served-by')).toHaveText(
    `the whole run of run ${process.env.RUN_LABEL ?? 'local'}`,
  );
  expect(page.url()).toBe(`${baseURL}/`);
});

test('workers see the port the main process leased', async ({ request }) => {
  // In a worker, leaseRunPort returns the port handed down by the runner's main process.
  const port = await leaseRunPort({ name: 'shared' });
  const health = await (await request.get('/health')).json();
  expect(health).toMatchObject({ ok: true, port });
});
