/**
 * Compose service names the configs are written against, and where each one lives when the
 * stack runs natively. One table, so the runner, the rewriter and the tests agree.
 */
export interface LocalService {
  /** Compose service (and DNS) name. */
  name: string;
  /** Port the service listens on inside compose. */
  composePort: number;
  /** Port it listens on natively (127.0.0.1). */
  localPort: number;
}

const DEFAULTS = [
  ['prometheus', 9090],
  ['alertmanager', 9093],
  ['alert-router', 8080],
  ['inference-gateway', 8000],
  ['redis', 6379],
  ['node-exporter', 9100],
  ['pushgateway', 9091],
  ['feature-store-exporter', 9101],
  ['model-registry-exporter', 9102],
  ['gpu-exporter', 9103],
  ['postgres-exporter', 9104],
  ['ml-platform', 5000],
] as const;

export type ServiceName = (typeof DEFAULTS)[number][0];
export type PortOverrides = Partial<Record<ServiceName, number>>;

export function localServices(ports: PortOverrides = {}): LocalService[] {
  const defaults = DEFAULTS;
  return defaults.map(([name, composePort]) => ({
    name,
    composePort,
    localPort: ports[name] ?? composePort,
  }));
}

// host:port not preceded by a host-name character, so `my-prometheus:9090` or
// `prometheus.example.com:9090` are left alone while `http://prometheus:9090` is matched.
const HOST_PORT = /(?<![\w.-])([A-Za-z][\w-]*):(\d{1,5})\b/g;

/**
 * Rewrites `<compose-name>:<port>` (and `localhost:<known port>`) to 127.0.0.1. A port other
 * than the compose default is kept, since it names a different listener of that service.
 *
 * @example rewriteHosts('http://alert-router:8080/webhook', localServices()) // 'http://127.0.0.1:8080/webhook'
 */
export function rewriteHosts(text: string, services: LocalService[]): string {
  return text.replace(HOST_PORT, (match, host: string, portText: string) => {
    const port = Number(portText);
    if (host === 'localhost') {
      const service = services.find((s) => s.composePort === port);
      return `127.0.0.1:${service ? service.localPort : port}`;
    }
    const service = services.find((s) => s.name === host);
    if (!service) return match;
    return `127.0.0.1:${port === service.composePort ? service.localPort : port}`;
  });
}

/**
 * host:port pairs whose host is neither loopback nor an IP: compose names the rewrite did not
 * know about (cadvisor, ...) which cannot resolve on this machine.
 */
export function unresolvedHosts(text: string): string[] {
  const found = new Set<string>();
  for (const line of text.split('\n')) {
    // Comments may mention compose names freely; they do not make Prometheus resolve anything.
    const code = line.replace(/(^|\s)#.*$/, '');
    for (const match of code.matchAll(HOST_PORT)) {
      const host = match[1] ?? '';
      if (!['localhost', 'http', 'https'].includes(host.toLowerCase())) found.add(match[0]);
    }
  }
  return [...found].sort();
}
