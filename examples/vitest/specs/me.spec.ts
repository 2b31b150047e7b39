import { expect, test } from './fixtures.js';

test('the API asks the auth stub who a token belongs to', async ({ api }) => {
  const me = await fetch(`${api.url}/me`, { headers: { authorization: 'Bearer secret' } });
  expect(me.status).toBe(200);
  expect(await me.json()).toEqual({ name: 'Ada' });
});

test('an unknown token is refused', async ({ api }) => {
  const me = await fetch(`${api.url}/me`, { headers: { authorization: 'Bearer nope' } });
  expect(me.status).toBe(401);
});
