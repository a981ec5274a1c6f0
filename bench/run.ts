// `npm run bench`: every benchmark of the project, one after the other, figures printed at the end.
import { runEnrichmentStorm } from './enrichment-storm.js';
import { runIngestBench } from './ingest-bench.js';

const results: Record<string, Record<string, number | string>> = {};
results.ingest = await runIngestBench();
results.enrichment_storm = await runEnrichmentStorm();
console.log('\nsummary');
console.log(JSON.stringify(results, null, 2));
// A benchmark whose 2xx were not all stored measured something other than the service: fail it.
process.exit(results.ingest.durable_ok === 'yes' ? 0 : 1);
