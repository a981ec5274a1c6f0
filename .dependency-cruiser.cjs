// Import direction in src/: an alert travels main/runtime -> http -> queue -> the stages ->
// the shared bottom, and imports follow it. `npm run lint` fails on any import that runs the
// other way, naming the rule it breaks. The picture is in docs/architecture.md.
//
// Each folder lists the folders it may import; everything else in src/ is forbidden to it.
// Because these lists form a DAG (a folder only ever lists folders below it), no two folders can
// import each other, directly or through a third.
const MAY_IMPORT = {
  // The operator's command line (src/cli.ts): config checks, route tests, a test notification.
  cli: ['config', 'routing', 'alert', 'lib'],
  // The composition root: reads the configuration and wires every part.
  runtime: ['http', 'actions', 'alertmanager', 'queue', 'routing', 'enrichment', 'channels', 'deadman', 'runbooks-web', 'storms-web', 'runbooks', 'config', 'metrics', 'lib', 'alert'],
  // The webhook and the routes the composition root does not get from a stage.
  http: ['actions', 'queue', 'routing', 'channels', 'deadman', 'metrics', 'lib', 'alert'],
  // The workers: the stages they run are handed in (enrichment) or called (routing, channels).
  queue: ['routing', 'enrichment', 'channels', 'metrics', 'lib', 'alert'],
  // Slack actions: a click from a message, carried out on Alertmanager, PagerDuty and the message.
  actions: ['alertmanager', 'channels', 'metrics', 'lib', 'alert'],
  // The stages. Peers do not import each other, with two exceptions the pages need: the runbook
  // pages show live context (enrichment) and the dead man's switch state (deadman).
  'runbooks-web': ['enrichment', 'deadman', 'runbooks', 'lib', 'alert'],
  // The storm pages: a Slack channel's storm (channels/slack/storm-types.ts), read from Redis.
  'storms-web': ['channels', 'lib', 'alert'],
  routing: ['lib', 'alert'],
  enrichment: ['runbooks', 'lib', 'alert'],
  // Only channel-registry.ts may use `config` (rule only-the-channel-registry-sees-config).
  channels: ['config', 'lib', 'alert'],
  deadman: ['metrics', 'lib', 'alert'],
  // Alertmanager's API (silences), for the actions.
  alertmanager: ['lib', 'alert'],
  // The shared bottom. `alert` is the pure core: it imports nothing else of ours.
  runbooks: ['lib', 'alert'],
  config: ['lib', 'alert'],
  metrics: ['lib', 'alert'],
  lib: [],
  alert: [],
};

const folderRules = Object.entries(MAY_IMPORT).map(([folder, allowed]) => ({
  name: `${folder}-imports-only-below`,
  comment: `src/${folder}/ may import only ${allowed.length ? allowed.join(', ') : 'nothing else of ours'} (docs/architecture.md)`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: `^src/(${[folder, ...allowed].join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...folderRules,
    {
      name: 'only-the-channel-registry-sees-config',
      comment:
        'the configuration holds secrets (tokens, routing keys, SMTP URL): in channels/ only the registry that builds the channels reads it; adapters and formatters get their own options',
      severity: 'error',
      from: { path: '^src/channels/', pathNot: '^src/channels/channel-registry\\.ts$' },
      to: { path: '^src/config/' },
    },
    {
      name: 'main-is-the-entry-point',
      comment: 'src/main.ts starts the process and src/cli.ts the command line; nothing imports them',
      severity: 'error',
      from: {},
      to: { path: '^src/(main|cli)\\.ts$' },
    },
    {
      name: 'src-folder-is-known',
      comment: 'every folder of src/ has a place in the import direction (.dependency-cruiser.cjs)',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/((main|cli)\\.ts$|(${Object.keys(MAY_IMPORT).join('|')})/)` },
      to: {},
    },
    {
      name: 'no-circular',
      comment: 'modules that import each other, directly or through others',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-imports-no-tests',
      comment: 'the product never imports test, bench, script or support code',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts|support|demo)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type is as much a dependency as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
