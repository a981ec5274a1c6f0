/**
 * Runs the GPU exporter. Settings:
 *   NVIDIA_SMI        nvidia-smi to run (default: the one on PATH)
 *   GPU_QUERY_FILE    read nvidia-smi output from this file instead (a missing file: no devices)
 *   EXPORTER_PORT / EXPORTER_HOST  where to listen (default 9103 on 127.0.0.1)
 */
import { portFrom } from '../../src/lib/listen.js';
import { runExporter } from '../lib/serve-metrics.js';
import { startGpuExporter } from './exporter.js';

runExporter('gpu-exporter', () =>
  startGpuExporter({
    port: portFrom(process.env, 'EXPORTER_PORT', 9103),
    host: process.env.EXPORTER_HOST ?? '127.0.0.1',
    nvidiaSmi: process.env.NVIDIA_SMI,
    queryFile: process.env.GPU_QUERY_FILE || undefined,
  }),
);
