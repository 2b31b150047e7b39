import { expect, test } from '@playwright/test';

test("the web page shows what this project's API answers", async ({ page, baseURL }) => {
  await page.goto('/');
  await expect(page.getByTestId('message')).toHaveText('Hello from the API');
  // The web server found the same `api` the config found: this project's, not another worktree's.
  await expect(page.getByTestId('api-port')).toHaveText(process.env.API_PORT ?? '');
  await expect(page.getByTestId('web-port')).toHaveText(new URL(baseURL ?? '').port);
  test.info().annotations.push({
    type: 'ports',
    description: `${process.env.API_PORT} ${new URL(baseURL ?? '').port}`,
  });
});

test('the API answers on the port found by name', async ({ request }) => {
  const response = await request.get(`http://127.0.0.1:${process.env.API_PORT}/api/greeting`);
  expect(await response.json()).toEqual({
    message: 'Hello from the API',
    port: Number(process.env.API_PORT),
  });
});
