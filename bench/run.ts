// `npm run bench`: every benchmark of the project, one after the other, figures printed at the end.
import { runIngestBench } from './ingest-bench.js';

const results: Record<string, Record<string, number | string>> = {};
results.ingest = await runIngestBench();
try {
  // The enrichment storm lives in its own file; import it by a computed name so this runner builds
  // before that benchmark exists.
  const stormModule = './enrichment-storm.js';
  const storm = (await import(stormModule)) as {
    runEnrichmentStorm?: () => Promise<Record<string, number | string>>;
  };
  if (storm.runEnrichmentStorm) results.enrichment_storm = await storm.runEnrichmentStorm();
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
}
console.log('\nsummary');
console.log(JSON.stringify(results, null, 2));
process.exit(0);
