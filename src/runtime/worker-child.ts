import type { Worker } from 'bullmq';
import type { Metrics } from '../metrics/metrics.js';
import type { MetricsJSON } from '../metrics/merged-metrics.js';
import type { FromWorkerProcess, ToWorkerProcess } from './worker-process.js';

/**
 * The child's half of ROLE=all's worker process (the parent's is worker-process.ts): says when its
 * workers run, answers the parent's metrics requests over IPC, and stops when the parent is gone
 * (the IPC channel closes when the parent exits, however it died), so it never lingers alone.
 * @example answerParent(running.metrics, running.workers, () => stop('parent exited'))
 */
export function answerParent(metrics: Metrics, workers: readonly Worker[], onParentGone: () => void): void {
  // The parent samples these itself at scrape time (queue depth, the dead man's switch state from
  // Redis): the child's copies would be added to the parent's, so they stay home.
  const parentSampled = Promise.all(
    [
      metrics.queueJobs,
      metrics.queueOldestWaiting,
      metrics.deadmanSecondsSinceHeartbeat,
      metrics.deadmanSilent,
      metrics.deadmanWaiting,
    ].map(async (g) => (await g.get()).name),
  ).then((names) => new Set(names));
  const send = (m: FromWorkerProcess): void => {
    if (process.connected) process.send?.(m, undefined, {}, () => undefined);
  };
  process.on('message', (m: ToWorkerProcess) => {
    // Active jobs carry on (pause(true) does not wait for them); no new ones start meanwhile.
    if (m.type === 'pause') for (const w of workers) void w.pause(true);
    if (m.type === 'resume') for (const w of workers) void w.resume();
    if (m.type !== 'metrics') return;
    void (async () => {
      const skip = await parentSampled;
      const all = await metrics.registry.getMetricsAsJSON();
      // 'omit' metrics (the process start time) are the parent's alone; see metrics-route.ts.
      const mine: MetricsJSON = all.filter((x) => !skip.has(x.name) && x.aggregator !== 'omit');
      send({ type: 'metrics', id: m.id, metrics: mine });
    })().catch(() => undefined); // unanswered: the parent serves its own after its timeout
  });
  process.once('disconnect', onParentGone);
  send({ type: 'ready' });
}
