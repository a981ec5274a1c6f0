// `npm run bench`: every benchmark of the project, one after the other, figures printed at the end.
import { runEnrichmentStorm } from './enrichment-storm.js';
import { runIngestBench } from './ingest-bench.js';
import { runIngestDuringStorm } from './ingest-during-storm.js';
import { runSlackActionsBench } from './slack-actions.js';
import { runStormBench } from './storm-digest.js';
import { runOutboxReadsBench } from './outbox-reads.js';
import { runReplicatedIngestBench } from './replicated-ingest.js';
import { runFailoverBench } from './failover.js';

const results: Record<string, Record<string, number | string>> = {};
results.ingest = await runIngestBench();
results.enrichment_storm = await runEnrichmentStorm();
results.slack_actions = await runSlackActionsBench();
results.ingest_during_storm = await runIngestDuringStorm();
results.storm_digest = await runStormBench();
results.outbox_reads = await runOutboxReadsBench();
results.replicated_ingest = await runReplicatedIngestBench();
results.failover = await runFailoverBench();
console.log('\nsummary');
console.log(JSON.stringify(results, null, 2));
// A benchmark whose 2xx were not all stored measured something other than the service: fail it.
// Slack waits 3 s for an answer; a click answered late or not 200 is a failed run.
const actions = results.slack_actions;
process.exit(
  results.ingest.durable_ok === 'yes' &&
    actions.answers_not_200 === 0 &&
    Number(actions.answer_max_ms) < 3000 &&
    // With the replication wait on, a failover loses nothing that was acknowledged.
    results.failover.lost_wait_on === 0
    ? 0
    : 1,
);
