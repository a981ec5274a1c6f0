/**
 * Generates the native-run copies of the Prometheus and Alertmanager configs under a run
 * directory (normally .run/), with compose host names and container paths rewritten for
 * 127.0.0.1. Called by scripts/stack-up.sh; never edits the checked-in configs.
 *
 *   tsx scripts/lib/prepare-run-config.ts --repo . --run-dir .run [--port prometheus=9090 ...]
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { localServices, type PortOverrides, rewriteHosts, unresolvedHosts } from './compose-hosts.js';
import { rewriteTargetsFile } from './rewrite-targets.js';

export interface PrepareOptions {
  repoDir: string;
  runDir: string;
  ports?: PortOverrides;
}

export interface PrepareResult {
  prometheusConfig: string;
  alertmanagerConfig: string;
  tokenFile: string;
  warnings: string[];
}

// Snapshots and TSDB data sometimes live next to the config in compose layouts; never copy them.
const SKIP_DIRS = new Set(['data', 'snapshots']);

/**
 * @example prepareRunConfig({ repoDir: '.', runDir: '.run' }).prometheusConfig // '/abs/.run/prometheus/prometheus.yml'
 */
export function prepareRunConfig(options: PrepareOptions): PrepareResult {
  const repoDir = resolve(options.repoDir);
  const runDir = resolve(options.runDir);
  const services = localServices(options.ports);
  const warnings: string[] = [];
  const tokenFile = ensureToken(join(runDir, 'secrets', 'webhook-token'));

  // Container paths first (most specific first), then host names.
  const rewrite = (text: string): string =>
    rewriteHosts(
      text
        .replaceAll('/etc/alertmanager/secrets/webhook-token', tokenFile)
        .replaceAll('/etc/alertmanager/', `${join(runDir, 'alertmanager')}/`)
        .replaceAll('/etc/prometheus/', `${join(runDir, 'prometheus')}/`),
      services,
    );

  const prometheusConfig = copyConfigDir(
    join(repoDir, 'prometheus'),
    join(runDir, 'prometheus'),
    'prometheus.yml',
    rewrite,
    warnings,
  );
  const alertmanagerConfig = copyConfigDir(
    join(repoDir, 'alertmanager'),
    join(runDir, 'alertmanager'),
    'alertmanager.yml',
    rewrite,
    warnings,
  );

  const targetsDir = join(runDir, 'prometheus', 'targets');
  const targetFiles = existsSync(targetsDir)
    ? readdirSync(targetsDir).filter((f) => /\.(ya?ml|json)$/.test(f))
    : [];
  if (targetFiles.length === 0)
    warnings.push(`no file_sd files in prometheus/targets/: nothing to point at 127.0.0.1`);
  for (const file of targetFiles) {
    warnings.push(...rewriteTargetsFile(join(targetsDir, file), services));
  }
  return { prometheusConfig, alertmanagerConfig, tokenFile, warnings };
}

/** Keeps an existing token: a running alert-router already read it, and rotating would 401. */
function ensureToken(path: string): string {
  if (!existsSync(path)) {
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  }
  chmodSync(path, 0o600);
  return path;
}

function copyConfigDir(
  source: string,
  dest: string,
  mainFile: string,
  rewrite: (text: string) => string,
  warnings: string[],
): string {
  if (!existsSync(join(source, mainFile))) throw new Error(`missing ${join(source, mainFile)}`);
  // Start clean so a rule file deleted from the repo does not linger in the running copy.
  rmSync(dest, { recursive: true, force: true });
  cpSync(source, dest, {
    recursive: true,
    filter: (src) => !(src !== source && SKIP_DIRS.has(src.slice(source.length + 1).split('/')[0] ?? '')),
  });
  for (const file of listFiles(dest)) {
    if (!/\.(ya?ml|tmpl|json)$/.test(file) || file.includes('/targets/')) continue;
    const original = readFileSync(file, 'utf8');
    const rewritten = rewrite(original);
    if (rewritten !== original) writeFileSync(file, rewritten);
    // Only configs make Prometheus/Alertmanager dial out; rule files and tests merely mention hosts.
    if (file === join(dest, mainFile)) {
      for (const host of unresolvedHosts(rewritten)) {
        warnings.push(`${file}: "${host}" is not a service the native stack runs; it will be unreachable`);
      }
    }
  }
  return join(dest, mainFile);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function parsePorts(values: string[]): PortOverrides {
  const ports: PortOverrides = {};
  const names = localServices().map((s) => s.name);
  for (const value of values) {
    const [name, port] = value.split('=');
    if (!name || !names.includes(name) || !port || !/^\d{1,5}$/.test(port)) {
      throw new Error(`--port expects <${names.join('|')}>=<port>, got "${value}"`);
    }
    ports[name as keyof PortOverrides] = Number(port);
  }
  return ports;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { values } = parseArgs({
      options: {
        repo: { type: 'string', default: '.' },
        'run-dir': { type: 'string', default: '.run' },
        port: { type: 'string', multiple: true, default: [] },
      },
    });
    const result = prepareRunConfig({
      repoDir: values.repo,
      runDir: values['run-dir'],
      ports: parsePorts(values.port),
    });
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(`prometheus config:   ${result.prometheusConfig}\n`);
    process.stdout.write(`alertmanager config: ${result.alertmanagerConfig}\n`);
    process.stdout.write(`webhook token file:  ${result.tokenFile}\n`);
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
