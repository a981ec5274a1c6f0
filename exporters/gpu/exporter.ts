/**
 * GPU exporter (port 9103): nvidia-smi readings under the metric names and labels of NVIDIA's
 * dcgm-exporter (its etc/default-counters.csv, https://github.com/NVIDIA/dcgm-exporter), so the
 * GPU rules run unchanged against dcgm-exporter in production. nvidia-smi's query has no XID
 * errors, so DCGM_FI_DEV_XID_ERRORS is left out rather than made up.
 */
import { hostname } from 'node:os';
import { Counter, Gauge, Registry } from 'prom-client';
import { serveMetrics, type RunningExporter } from '../lib/serve-metrics.js';
import type { GpuReading } from './parse-query.js';
import { readGpus, type GpuSource } from './read-gpus.js';

export interface GpuExporterOptions extends GpuSource {
  port: number;
  host?: string;
  /** The Hostname label (dcgm-exporter's is the node name). */
  hostname?: string;
}

const LABELS = ['gpu', 'UUID', 'device', 'modelName', 'Hostname'] as const;
const STATES = ['ok', 'no_devices', 'error'] as const;

/** [metric, help, value] in dcgm-exporter's units (MiB, C, W, MHz, %). */
const FIELDS: Array<[string, string, (g: GpuReading) => number | undefined]> = [
  ['DCGM_FI_DEV_GPU_UTIL', 'GPU utilization (in %).', (g) => g.utilizationGpu],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', 'Memory utilization (in %).', (g) => g.utilizationMemory],
  ['DCGM_FI_DEV_FB_USED', 'Framebuffer memory used (in MiB).', (g) => g.memoryUsedMiB],
  [
    'DCGM_FI_DEV_FB_FREE',
    'Framebuffer memory free (in MiB).',
    (g) =>
      g.memoryFreeMiB ??
      (g.memoryTotalMiB !== undefined && g.memoryUsedMiB !== undefined
        ? g.memoryTotalMiB - g.memoryUsedMiB
        : undefined),
  ],
  ['DCGM_FI_DEV_GPU_TEMP', 'GPU temperature (in C).', (g) => g.temperatureC],
  ['DCGM_FI_DEV_POWER_USAGE', 'Power draw (in W).', (g) => g.powerDrawW],
  ['DCGM_FI_DEV_SM_CLOCK', 'SM clock frequency (in MHz).', (g) => g.smClockMHz],
];

/** @example const exporter = await startGpuExporter({ port: 9103 }); // runs nvidia-smi from PATH on each scrape */
export async function startGpuExporter(options: GpuExporterOptions): Promise<RunningExporter> {
  const registry = new Registry();
  const host = options.hostname ?? hostname();
  const gauges = FIELDS.map(
    ([name, help, value]) =>
      [new Gauge({ name, help, labelNames: LABELS, registers: [registry] }), value] as const,
  );
  const devices = new Gauge({
    name: 'gpu_exporter_devices',
    help: 'GPUs the last read found (0: no devices).',
    registers: [registry],
  });
  const state = new Gauge({
    name: 'gpu_exporter_state',
    help: 'State of the last read: ok, no_devices (no GPU or no nvidia-smi here) or error; 1 on the current one.',
    labelNames: ['state', 'reason'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'gpu_exporter_scrape_errors_total',
    help: 'Reads of the GPUs that failed.',
    registers: [registry],
  });
  errors.inc(0);

  const refresh = async (): Promise<void> => {
    const read = await readGpus(options);
    for (const [gauge] of gauges) gauge.reset();
    state.reset();
    const reason = read.state === 'ok' ? '' : read.reason;
    for (const s of STATES)
      state.set({ state: s, reason: s === read.state ? reason : '' }, s === read.state ? 1 : 0);
    if (read.state === 'error') {
      errors.inc();
      process.stderr.write(`gpu-exporter: read failed: ${read.reason}\n`);
    }
    // On an error the device count is unknown; keep the last one rather than claim zero.
    if (read.state === 'no_devices') devices.set(0);
    if (read.state !== 'ok') return;
    devices.set(read.gpus.length);
    for (const gpu of read.gpus) {
      const labels = {
        gpu: gpu.index,
        UUID: gpu.uuid,
        device: `nvidia${gpu.index}`,
        modelName: gpu.name,
        Hostname: host,
      };
      for (const [gauge, value] of gauges) {
        const v = value(gpu);
        if (v !== undefined) gauge.set(labels, v);
      }
    }
  };
  return serveMetrics({ port: options.port, host: options.host, registry, refresh });
}
