/**
 * Structural checks of the Kubernetes manifests under deploy/ (no kubectl or kustomize here):
 * every YAML parses, kustomizations point at files that exist, Deployments are probed, sized,
 * locked down and carry no literal secrets, selectors line up, and alert-router's own alerts are
 * labelled and linked to runbooks. The routing configs are run through the app's config loader with
 * the environment the Deployments provide.
 *
 * Run: node --import tsx --test test/stack/deploy.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isObj, list, obj, str, type Obj } from '../helpers/yaml-shape.js';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEPLOY = join(ROOT, 'deploy');
const BASE = join(DEPLOY, 'base');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

interface Doc {
  readonly file: string;
  readonly body: Obj;
}

const yamlFiles = walk(DEPLOY).filter((f) => /\.ya?ml$/.test(f));
const docs: Doc[] = yamlFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).flatMap((doc): Doc[] => {
    if (doc.errors.length > 0) return [{ file, body: { __errors: doc.errors.map((e) => e.message) } }];
    const body: unknown = doc.toJS();
    return body === null || body === undefined ? [] : [{ file, body: obj(body, relative(ROOT, file)) }];
  }),
);

/** Kubernetes objects of the base (what every overlay builds on). */
const baseObjects = docs.filter(
  (d) => d.file.startsWith(BASE + '/') && typeof d.body.kind === 'string' && d.body.kind !== 'Kustomization',
);

function ofKind(kind: string): Obj[] {
  return baseObjects.filter((d) => d.body.kind === kind).map((d) => d.body);
}

function nameOf(o: Obj): string {
  return str(obj(o.metadata, 'metadata').name, 'metadata.name');
}

function labelsMatch(selector: Obj, labels: Obj): boolean {
  const wanted = obj(selector.matchLabels, 'selector.matchLabels');
  return Object.keys(wanted).length > 0 && Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

const deployments = ofKind('Deployment');

function podTemplate(d: Obj): Obj {
  return obj(obj(d.spec, 'spec').template, `${nameOf(d)}.spec.template`);
}

function templateLabels(d: Obj): Obj {
  return obj(obj(podTemplate(d).metadata, 'template.metadata').labels, `${nameOf(d)} template labels`);
}

function podSpec(d: Obj): Obj {
  return obj(podTemplate(d).spec, `${nameOf(d)}.spec.template.spec`);
}

function containers(d: Obj): Obj[] {
  const spec = podSpec(d);
  return [
    ...((spec.initContainers as unknown[] | undefined) ?? []),
    ...list(spec.containers, 'containers'),
  ].map((c) => obj(c, `${nameOf(d)} container`));
}

function mainContainer(d: Obj): Obj {
  const c = list(podSpec(d).containers, `${nameOf(d)}.containers`)[0];
  return obj(c, `${nameOf(d)}: first container`);
}

function envEntries(c: Obj): Obj[] {
  return ((c.env as unknown[] | undefined) ?? []).map((e) => obj(e, 'env entry'));
}

void test('every YAML file under deploy/ parses', () => {
  assert.ok(yamlFiles.length > 0);
  for (const d of docs) {
    assert.ok(!('__errors' in d.body), `${relative(ROOT, d.file)}: ${JSON.stringify(d.body.__errors)}`);
  }
});

void test('kustomizations: every resource, patch and generator file exists', () => {
  const kustomizations = docs.filter((d) => /\/kustomization\.ya?ml$/.test(d.file));
  assert.ok(
    kustomizations.some((k) => k.file === join(BASE, 'kustomization.yaml')),
    'deploy/base/kustomization.yaml',
  );
  assert.ok(
    kustomizations.some((k) => k.file === join(DEPLOY, 'overlays', 'production', 'kustomization.yaml')),
    'deploy/overlays/production/kustomization.yaml',
  );
  for (const { file, body } of kustomizations) {
    const dir = dirname(file);
    const where = relative(ROOT, file);
    assert.equal(body.apiVersion, 'kustomize.config.k8s.io/v1beta1', `${where}: apiVersion`);
    assert.equal(body.kind, 'Kustomization', `${where}: kind`);
    for (const r of (body.resources as unknown[] | undefined) ?? []) {
      const path = resolve(dir, str(r, `${where} resource`));
      assert.ok(existsSync(path), `${where}: resource ${String(r)} does not exist`);
      if (statSync(path).isDirectory()) {
        assert.ok(
          existsSync(join(path, 'kustomization.yaml')),
          `${where}: ${String(r)} is a directory without kustomization.yaml`,
        );
      }
    }
    for (const p of (body.patches as unknown[] | undefined) ?? []) {
      const patch = obj(p, `${where} patch`);
      if (patch.path !== undefined) {
        const path = str(patch.path, `${where} patch.path`);
        assert.ok(existsSync(resolve(dir, path)), `${where}: patch ${path} missing`);
      } else assert.equal(typeof patch.patch, 'string', `${where}: patch needs path or patch`);
    }
    for (const g of (body.configMapGenerator as unknown[] | undefined) ?? []) {
      for (const f of (obj(g, `${where} configMapGenerator`).files as unknown[] | undefined) ?? []) {
        const spec = str(f, 'generator file');
        const path = spec.includes('=') ? spec.slice(spec.indexOf('=') + 1) : spec;
        assert.ok(
          !path.startsWith('..'),
          `${where}: ${spec} is outside the kustomization root (kustomize refuses it)`,
        );
        assert.ok(existsSync(resolve(dir, path)), `${where}: generator file ${spec} does not exist`);
      }
    }
  }
});

void test('overlay patches target objects that exist in the base', () => {
  const overlayDir = join(DEPLOY, 'overlays', 'production');
  const patchDocs = docs.filter((d) => d.file.startsWith(join(overlayDir, 'patches') + '/'));
  assert.ok(patchDocs.length > 0);
  for (const { file, body } of patchDocs) {
    const target = baseObjects.find((b) => b.body.kind === body.kind && nameOf(b.body) === nameOf(body));
    assert.ok(target, `${relative(ROOT, file)}: no ${String(body.kind)} ${nameOf(body)} in the base`);
  }
});

void test('api and worker Deployments: ROLE, probes, resources, security context', () => {
  const roles = new Map<string, Obj>();
  for (const d of deployments) {
    const name = nameOf(d);
    const c = mainContainer(d);
    const role = envEntries(c).find((e) => e.name === 'ROLE');
    assert.ok(role && typeof role.value === 'string', `${name}: ROLE env missing`);
    roles.set(String(role.value), d);

    const probePath = (probe: string): string =>
      str(
        obj(obj(c[probe], `${name}.${probe}`).httpGet, `${name}.${probe}.httpGet`).path,
        `${name}.${probe} path`,
      );
    assert.equal(probePath('livenessProbe'), '/healthz', `${name}: liveness must hit /healthz`);
    assert.equal(probePath('readinessProbe'), '/readyz', `${name}: readiness must hit /readyz`);

    const podSec = obj(podSpec(d).securityContext, `${name} pod securityContext`);
    assert.equal(podSec.runAsNonRoot, true, `${name}: pod runAsNonRoot`);
    for (const container of containers(d)) {
      const cname = `${name}/${String(container.name)}`;
      const res = obj(container.resources, `${cname} resources`);
      for (const kind of ['requests', 'limits']) {
        const r = obj(res[kind], `${cname} resources.${kind}`);
        assert.ok(
          r.cpu !== undefined && r.memory !== undefined,
          `${cname}: resources.${kind} needs cpu and memory`,
        );
      }
      const sec = obj(container.securityContext, `${cname} securityContext`);
      assert.equal(sec.readOnlyRootFilesystem, true, `${cname}: readOnlyRootFilesystem`);
      assert.equal(sec.allowPrivilegeEscalation, false, `${cname}: allowPrivilegeEscalation`);
      assert.equal(sec.runAsNonRoot ?? podSec.runAsNonRoot, true, `${cname}: runAsNonRoot`);
      assert.ok(!/:latest$/.test(String(container.image)), `${cname}: never :latest`);
    }
  }
  assert.deepEqual([...roles.keys()].sort(), ['api', 'worker'], 'one Deployment per ROLE (api, worker)');
});

void test('Deployments read every mounted file from a declared volume, and secrets only from Secret objects', () => {
  for (const d of deployments) {
    const volumes = new Map(
      list(podSpec(d).volumes, 'volumes').map((v) => [String(obj(v, 'volume').name), obj(v, 'volume')]),
    );
    for (const c of containers(d)) {
      for (const m of (c.volumeMounts as unknown[] | undefined) ?? []) {
        const name = String(obj(m, 'volumeMount').name);
        assert.ok(volumes.has(name), `${nameOf(d)}: volumeMount ${name} has no volume`);
      }
    }
    const secretVolume = volumes.get('secrets');
    assert.ok(
      secretVolume && isObj(secretVolume.secret),
      `${nameOf(d)}: secrets must come from a Secret volume`,
    );
  }
});

void test('no literal secret values anywhere in deploy/', () => {
  const secretish = /(TOKEN|PASSWORD|SECRET|ROUTING_KEY|BASIC_AUTH|SMTP_URL|REDIS_URL)$/;
  for (const { file, body } of docs) {
    const where = relative(ROOT, file);
    if (body.kind === 'Secret') {
      assert.ok(
        body.data === undefined && body.stringData === undefined,
        `${where}: a Secret with data is committed`,
      );
    }
  }
  for (const d of deployments) {
    for (const c of containers(d)) {
      for (const e of envEntries(c)) {
        const name = String(e.name);
        if (name.endsWith('_FILE')) {
          assert.match(
            String(e.value),
            /^\/var\/run\/secrets\//,
            `${nameOf(d)}: ${name} must point into a mounted Secret`,
          );
        } else if (secretish.test(name)) {
          assert.equal(e.value, undefined, `${nameOf(d)}: ${name} has a literal value`);
          assert.ok(
            isObj(obj(e.valueFrom, `${name}.valueFrom`).secretKeyRef),
            `${nameOf(d)}: ${name} must use secretKeyRef`,
          );
        }
      }
    }
  }
  // Token shapes that must never be committed (Slack, 32-char PagerDuty keys, bearer values).
  for (const file of walk(DEPLOY).filter((f) => !f.includes(`${join('deploy', 'compose', 'dev-secrets')}`))) {
    const text = readFileSync(file, 'utf8');
    assert.ok(!/xox[abpr]-[0-9A-Za-z-]{10,}/.test(text), `${relative(ROOT, file)}: looks like a Slack token`);
    assert.ok(
      !/routing_key["']?\s*[:=]\s*["']?[0-9a-z]{32}\b/i.test(text),
      `${relative(ROOT, file)}: looks like a routing key`,
    );
  }
});

void test('Service, PDBs and HPAs select the Deployments', () => {
  const byName = new Map(deployments.map((d) => [nameOf(d), d]));
  for (const pdb of ofKind('PodDisruptionBudget')) {
    assert.equal(pdb.apiVersion, 'policy/v1');
    const selector = obj(obj(pdb.spec, 'pdb.spec').selector, `${nameOf(pdb)} selector`);
    assert.ok(
      deployments.some((d) => labelsMatch(selector, templateLabels(d))),
      `PDB ${nameOf(pdb)} selects no Deployment`,
    );
  }
  assert.equal(ofKind('PodDisruptionBudget').length, deployments.length, 'one PDB per Deployment');

  for (const hpa of ofKind('HorizontalPodAutoscaler')) {
    assert.equal(hpa.apiVersion, 'autoscaling/v2');
    const spec = obj(hpa.spec, 'hpa.spec');
    const ref = obj(spec.scaleTargetRef, 'scaleTargetRef');
    assert.equal(ref.kind, 'Deployment');
    const target = byName.get(String(ref.name));
    assert.ok(target, `HPA ${nameOf(hpa)} scales unknown Deployment ${String(ref.name)}`);
    assert.ok(
      Number(spec.minReplicas) >= 2,
      `HPA ${nameOf(hpa)}: minReplicas >= 2 (PDB minAvailable 1 must still allow drains)`,
    );
    // The HPA's pods are the Deployment's pods: its PDB must select them too.
    assert.ok(
      ofKind('PodDisruptionBudget').some((p) =>
        labelsMatch(obj(obj(p.spec, 'spec').selector, 'selector'), templateLabels(target)),
      ),
      `no PDB covers the pods HPA ${nameOf(hpa)} scales`,
    );
  }
  assert.equal(ofKind('HorizontalPodAutoscaler').length, deployments.length, 'one HPA per Deployment');

  const services = ofKind('Service');
  const api = services.find((s) => nameOf(s) === 'alert-router');
  assert.ok(api, 'Service alert-router (the Alertmanager webhook target) is missing');
  for (const svc of services) {
    const selector = obj(obj(svc.spec, 'service.spec').selector, `${nameOf(svc)} selector`);
    const selected = deployments.filter((d) =>
      Object.entries(selector).every(([k, v]) => templateLabels(d)[k] === v),
    );
    const [target] = selected;
    assert.ok(target && selected.length === 1, `Service ${nameOf(svc)} must select exactly one Deployment`);
    const ports = new Set(
      list(mainContainer(target).ports, `${nameOf(target)} ports`).map((p) => obj(p, 'port').name),
    );
    for (const p of list(obj(svc.spec, 'spec').ports, 'ports')) {
      assert.ok(
        ports.has(obj(p, 'port').targetPort),
        `Service ${nameOf(svc)}: targetPort ${String(obj(p, 'port').targetPort)} is not a container port`,
      );
    }
  }
  const apiSelected = deployments.find((d) =>
    labelsMatch({ matchLabels: obj(obj(api.spec, 'spec').selector, 's') }, templateLabels(d)),
  );
  assert.ok(apiSelected, 'Service alert-router selects nothing');
  assert.equal(
    envEntries(mainContainer(apiSelected)).find((e) => e.name === 'ROLE')?.value,
    'api',
    'Service alert-router must select the api',
  );
});

void test('ServiceMonitor scrapes /metrics on the Services', () => {
  const monitors = ofKind('ServiceMonitor');
  assert.equal(monitors.length, 1);
  const sm = monitors[0] as Obj;
  assert.equal(sm.apiVersion, 'monitoring.coreos.com/v1');
  const spec = obj(sm.spec, 'servicemonitor.spec');
  const selector = obj(spec.selector, 'servicemonitor selector');
  const services = ofKind('Service').filter((s) =>
    labelsMatch(selector, obj(obj(s.metadata, 'metadata').labels, 'labels')),
  );
  assert.ok(services.length >= 2, 'ServiceMonitor must select the api and worker Services');
  for (const ep of list(spec.endpoints, 'endpoints')) {
    const e = obj(ep, 'endpoint');
    assert.equal(e.path, '/metrics');
    for (const svc of services) {
      const names = list(obj(svc.spec, 'spec').ports, 'ports').map((p) => obj(p, 'port').name);
      assert.ok(names.includes(e.port), `Service ${nameOf(svc)} has no port ${String(e.port)}`);
    }
  }
});

void test("PrometheusRule: alert-router's own alerts, labelled and linked to runbooks", () => {
  const rules = ofKind('PrometheusRule');
  assert.equal(rules.length, 1);
  const pr = rules[0] as Obj;
  assert.equal(pr.apiVersion, 'monitoring.coreos.com/v1');
  const alerts = list(obj(pr.spec, 'spec').groups, 'groups')
    .flatMap((g) => list(obj(g, 'group').rules, 'rules'))
    .map((r) => obj(r, 'rule'))
    .filter((r) => typeof r.alert === 'string');
  const names = alerts.map((a) => String(a.alert));
  for (const required of ['AlertRouterDown', 'AlertRouterDeliveryFailures', 'AlertRouterQueueBacklog']) {
    assert.ok(names.includes(required), `alert ${required} is missing`);
  }
  assert.equal(new Set(names).size, names.length, 'duplicate alert names');
  for (const a of alerts) {
    const name = String(a.alert);
    assert.ok(str(a.expr, `${name}.expr`).trim().length > 0);
    assert.match(str(a.for, `${name}.for`), /^\d+[smh]$/, `${name}: needs a for: duration`);
    const labels = obj(a.labels, `${name}.labels`);
    assert.match(String(labels.severity), /^(critical|warning|info)$/, `${name}: severity`);
    assert.equal(typeof labels.team, 'string', `${name}: team label`);
    assert.equal(labels.service, 'alert-router', `${name}: service label`);
    const annotations = obj(a.annotations, `${name}.annotations`);
    assert.equal(typeof annotations.summary, 'string', `${name}: summary`);
    const url = new URL(str(annotations.runbook_url, `${name}.runbook_url`));
    assert.equal(url.protocol, 'https:', `${name}: runbook_url must be https`);
    // A runbook for "alert-router is down" cannot be served by alert-router.
    assert.ok(
      !/alert-router[^/]*\/runbooks\//.test(url.href),
      `${name}: runbook_url must not depend on alert-router itself`,
    );
    assert.ok(
      url.hash.length > 1 && url.hash.slice(1) === name.toLowerCase(),
      `${name}: runbook_url should link #${name.toLowerCase()}`,
    );
    assert.ok(existsSync(join(BASE, 'runbooks', `${name}.md`)), `deploy/base/runbooks/${name}.md is missing`);
  }
  // The runbook anchors must exist in the troubleshooting guide.
  const guide = readFileSync(join(ROOT, 'docs', 'troubleshooting.md'), 'utf8');
  for (const name of names) {
    assert.ok(
      new RegExp(`^#+ ${name}\\s*$`, 'm').test(guide),
      `docs/troubleshooting.md has no heading "${name}"`,
    );
  }
});

void test('the routing configs load with exactly the environment the Deployments provide', () => {
  // What the pod would see: *_FILE secrets become their value, secretKeyRef env gets a sample.
  const samples: Record<string, string> = {
    REDIS_URL: 'redis://redis.example:6379',
    SMTP_URL: 'smtp://smtp.example:587',
    WEBHOOK_BEARER_TOKEN: 'sample-token',
    SLACK_BOT_TOKEN: 'sample-slack-token',
  };
  const configs = [
    join(BASE, 'alert-router.yml'),
    join(DEPLOY, 'overlays', 'production', 'alert-router.yml'),
  ];
  for (const d of deployments) {
    const env: Record<string, string> = {};
    for (const e of envEntries(mainContainer(d))) {
      const name = String(e.name);
      const plain = name.endsWith('_FILE') ? name.slice(0, -'_FILE'.length) : name;
      env[plain] =
        typeof e.value === 'string' && !name.endsWith('_FILE') ? e.value : (samples[plain] ?? 'x'.repeat(32));
    }
    const configPath = env.ALERT_ROUTER_CONFIG;
    assert.ok(configPath, `${nameOf(d)}: ALERT_ROUTER_CONFIG not set`);
    for (const file of configs) {
      const cfg = loadConfig(env, (p) => {
        assert.equal(p, configPath);
        return readFileSync(file, 'utf8');
      });
      assert.equal(cfg.role, nameOf(d).replace(/^alert-router-/, ''));
    }
  }
});
