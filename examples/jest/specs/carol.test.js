const { port } = require('@portlease/jest');
const { useApp } = require('./start-app');

const app = useApp();

test("the app answers carol on this file's own port", async () => {
  const response = await fetch(`${app.url}/hello?name=carol`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ hello: 'carol', server: 'app', port: port('app') });
});
