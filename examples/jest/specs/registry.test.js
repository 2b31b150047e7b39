const { globalPort, globalUrl, port } = require('@portlease/jest');

test('every file reaches the one suite-wide server from global setup', async () => {
  const response = await fetch(`${globalUrl('registry')}/hello`);
  expect(await response.json()).toEqual({ hello: 'world', server: 'registry', port: globalPort('registry') });
  expect(globalPort('registry')).not.toBe(port('app'));
});
