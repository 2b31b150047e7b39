// Every test changes the count, so each worker needs a server nobody else touches: the per-worker
// server on its leased port. Eight tests spread over the workers, in Chromium.
import { expect, test } from './fixtures';

test.beforeEach(async ({ request }) => {
  await request.post('/api/reset');
});

test('the page is served by this worker’s own server', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('heading')).toHaveText('Counter');
  await expect(page.getByTestId('served-by')).toHaveText(
    `worker ${testInfo.workerIndex} of run ${process.env.RUN_LABEL ?? 'local'}`,
  );
});

for (const clicks of [1, 2, 3, 4, 5, 6, 7]) {
  test(`counts ${clicks} click${clicks > 1 ? 's' : ''}`, async ({ page, request, server }, testInfo) => {
    await page.goto('/');
    await expect(page.getByTestId('served-by')).toHaveText(
      `worker ${testInfo.workerIndex} of run ${process.env.RUN_LABEL ?? 'local'}`,
    );
    await expect(page.locator('#count')).toHaveText('0');
    for (let i = 1; i <= clicks; i++) {
      await page.getByRole('button', { name: 'Increment' }).click();
      await expect(page.locator('#count')).toHaveText(String(i));
    }
    const { count } = await (await request.get(`${server.url}/api/count`)).json();
    expect(count).toBe(clicks);
  });
}
