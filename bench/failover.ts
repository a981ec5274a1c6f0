// A Sentinel failover under Alertmanager-like traffic (support/failover-run.ts), with the
// production default job lock (30 s): seconds of 503s, notifications delayed, and lost, with the
// replication wait on and off.
import { pathToFileURL } from 'node:url';
import { failoverRun } from '../support/failover-run.js';
import { startFakeSlack } from '../support/fake-slack.js';

export async function runFailoverBench(): Promise<Record<string, number | string>> {
  const slack = await startFakeSlack();
  try {
    const on = await failoverRun(slack, 'auto', 30_000);
    const off = await failoverRun(slack, '0', 30_000);
    console.log(`\nSentinel failover, wait on:  ${JSON.stringify(on)}`);
    console.log(`Sentinel failover, wait off: ${JSON.stringify(off)}`);
    return {
      acked: on.acked,
      seconds_of_503: on.refusalSeconds,
      answers_503: on.refusals,
      delayed_over_2s: on.delayed,
      slowest_delivery_s: on.slowestSeconds,
      lost_wait_on: on.lost.length,
      duplicates_wait_on: on.duplicates.length,
      lost_wait_off: off.lost.length,
      duplicates_wait_off: off.duplicates.length,
      seconds_of_503_wait_off: off.refusalSeconds,
    };
  } finally {
    await slack.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await runFailoverBench(), null, 2));
}
