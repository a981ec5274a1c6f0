// The alerts capture-fixtures.ts posts, shaped as Prometheus would post them for rules like the
// shipped ones (labels, annotations, generatorURL), so the captured bodies look like production's.
import type { PostedAlert } from '../../support/alertmanager-server.js';

const generatorURL = (expr: string): string =>
  `http://prometheus:9090/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`;

function alert(
  expr: string,
  labels: Record<string, string> & { alertname: string },
  text: { summary: string; description: string },
  startsAt: string,
  endsAt?: string,
): PostedAlert {
  return {
    labels,
    annotations: { ...text, runbook_url: `http://localhost:8080/runbooks/${labels.alertname}` },
    startsAt,
    ...(endsAt !== undefined ? { endsAt } : {}),
    generatorURL: generatorURL(expr),
  };
}

const gateway = { service: 'inference-gateway', team: 'ml-platform', job: 'inference-gateway' };

export const highErrorRate = (startsAt: string, endsAt?: string): PostedAlert =>
  alert(
    'sum by (service, instance, job) (rate(http_requests_total{service="inference-gateway",code=~"5.."}[5m])) / ' +
      'sum by (service, instance, job) (rate(http_requests_total{service="inference-gateway"}[5m])) > 0.05',
    { alertname: 'HighErrorRate', severity: 'critical', ...gateway, instance: 'inference-gateway-0:8080' },
    {
      summary: 'High 5xx error rate on inference-gateway',
      description:
        'inference-gateway-0:8080 is answering more than 5% of requests with a 5xx status over the last 5 minutes.',
    },
    startsAt,
    endsAt,
  );

export const highLatency = (i: number, startsAt: string, endsAt?: string): PostedAlert =>
  alert(
    'histogram_quantile(0.99, sum by (le, service, instance, job) (rate(http_request_duration_seconds_bucket{service="inference-gateway"}[5m]))) > 2',
    {
      alertname: 'HighRequestLatency',
      severity: 'warning',
      ...gateway,
      instance: `inference-gateway-${i}:8080`,
    },
    {
      summary: 'p99 latency above 2s on inference-gateway',
      description: `p99 request latency on inference-gateway-${i}:8080 has been above 2 seconds for 10 minutes.`,
    },
    startsAt,
    endsAt,
  );

export const instanceDown = (i: number, startsAt: string): PostedAlert =>
  alert(
    'up{job="embedding-worker"} == 0',
    {
      alertname: 'InstanceDown',
      severity: 'warning',
      service: 'embedding-worker',
      team: 'ml-platform',
      instance: `embedding-worker-${i}:9100`,
      job: 'embedding-worker',
    },
    {
      summary: `Instance embedding-worker-${i}:9100 down`,
      description: `embedding-worker-${i}:9100 of job embedding-worker has been unreachable for more than 5 minutes.`,
    },
    startsAt,
  );

export const consumerLag = (startsAt: string): PostedAlert =>
  alert(
    'sum by (consumergroup, service, instance, job) (kafka_consumergroup_lag{consumergroup="feature-store"}) > 10000',
    {
      alertname: 'KafkaConsumerLagHigh',
      severity: 'warning',
      service: 'feature-store',
      team: 'a',
      instance: 'kafka-exporter-0:9308',
      job: 'kafka-exporter',
    },
    {
      summary: 'Kafka consumer lag high for feature-store',
      description: 'Consumer group feature-store is more than 10000 messages behind.',
    },
    startsAt,
  );

export const watchdog = (startsAt: string): PostedAlert =>
  alert(
    'vector(1)',
    { alertname: 'Watchdog', severity: 'none', cluster: 'lab', prometheus: 'lab/prometheus-0' },
    {
      summary: 'An alert that should always be firing to certify that Alertmanager is working properly.',
      description:
        'This is an alert meant to ensure that the entire alerting pipeline is functional. It is always firing, ' +
        'so it should always be firing in Alertmanager and always fire against a receiver.',
    },
    startsAt,
  );
