const { port } = require('@portlease/jest');
const { useApp } = require('./start-app');

const app = useApp();

test("the app answers erin on this file's own port", async () => {
  const response = await fetch(`${app.url}/hello?name=erin`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ hello: 'erin', server: 'app', port: port('app') });
});
