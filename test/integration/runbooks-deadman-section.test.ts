import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestRouter, type TestRouter } from '../helpers/start-test-router.js';

let r: TestRouter;
before(async () => {
  r = await startTestRouter({
    channels: { outbox: { type: 'outbox' } },
    defaultChannels: ['outbox'],
    heartbeat: { channels: ['outbox'], sources: [{ name: 'eu-1', labels: { cluster: 'eu-1' } }] },
  });
});
after(() => r.stop());

test("the /runbooks index shows the dead man's switch sources in HTML and JSON", async () => {
  const html = await (await fetch(`${r.url}/runbooks`)).text();
  assert.match(html, /Dead man's switch/);
  assert.match(html, /<code>eu-1<\/code> · waiting for first heartbeat · last heartbeat never/);
  const json = (await (
    await fetch(`${r.url}/runbooks`, { headers: { accept: 'application/json' } })
  ).json()) as {
    deadman: { sources: Array<{ name: string; state: string }> };
  };
  assert.deepEqual(
    json.deadman.sources.map((s) => [s.name, s.state]),
    [['eu-1', 'waiting']],
  );
});
