import { leadAlert } from './alert-order.js';
import { groupName } from './group-name.js';
import type { NotificationContext } from './notification-context.js';
import type { Alert, WebhookPayload } from './webhook-payload.js';

/** Where the links in a message point: alert-router itself, and the Alertmanager and Grafana UIs when known. */
export interface LinkOptions {
  /** alert-router's address as readers reach it (PUBLIC_URL). */
  readonly publicUrl: string;
  /** The Alertmanager UI for silence links (ALERTMANAGER_URL); else the payload's externalURL. */
  readonly alertmanagerUrl: string | undefined;
  /** Grafana for the dashboards runbooks name by uid (GRAFANA_URL); without it none is linked. */
  readonly grafanaUrl?: string | undefined;
}

/**
 * The runbooks alert-router has for a group's alert names, as the enrichment stage found them
 * (`NotificationContext.runbooks`). Undefined where nothing was looked up: then alert-router's own
 * runbook is linked as if it existed, as before the stage knew.
 */
export type KnownRunbooks = NotificationContext['runbooks'] | undefined;

/** The runbook page alert-router serves for an alert name. */
export function runbookUrl(publicUrl: string, alertname: string | undefined): string {
  return `${publicUrl}/runbooks/${encodeURIComponent(alertname ?? 'unknown')}`;
}

/**
 * A Grafana dashboard by uid: Grafana serves `/d/<uid>` whatever the dashboard's title (slug)
 * (https://grafana.com/docs/grafana/latest/http_api/dashboard/, "Identifier (id) vs unique identifier (uid)").
 */
export function dashboardUrl(grafanaUrl: string, uid: string): string {
  return `${grafanaUrl.replace(/\/+$/, '')}/d/${encodeURIComponent(uid)}`;
}

/** The Alertmanager UI's prefilled silence form (`#/silences/new?filter={a="b"}`) for a label set. */
export function silenceLink(alertmanagerUrl: string, labels: Readonly<Record<string, string>>): string {
  const filter = `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;
  return `${alertmanagerUrl.replace(/\/+$/, '')}/#/silences/new?filter=${encodeURIComponent(filter)}`;
}

/**
 * A link built from payload data, only when it is http(s): anything else (`javascript:`, `data:`)
 * would run or render in a reader's browser when the button or link is followed.
 */
export function httpUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `url` is an address under alert-router's own PUBLIC_URL (same origin, path inside it). */
function underPublicUrl(url: string, publicUrl: string): boolean {
  const u = new URL(url);
  const own = new URL(publicUrl);
  const base = own.pathname.replace(/\/+$/, '');
  return u.origin === own.origin && (base === '' || u.pathname === base || u.pathname.startsWith(`${base}/`));
}

/**
 * A silence for the group's common labels, on a real Alertmanager only: the configured
 * ALERTMANAGER_URL, else the payload's externalURL when it is http(s) and not alert-router's own
 * address (a sender that names us there would make the button open a page we do not serve). The
 * configured URL comes first since the externalURL may be an internal address.
 */
export function silenceUrl(payload: WebhookPayload, opts: LinkOptions): string | undefined {
  const external = httpUrl(payload.externalURL);
  const base =
    opts.alertmanagerUrl ?? (external && !underPublicUrl(external, opts.publicUrl) ? external : undefined);
  if (!base) return undefined;
  const labels = Object.keys(payload.commonLabels).length > 0 ? payload.commonLabels : payload.groupLabels;
  return silenceLink(base, labels);
}

/** The alert's source graph, only when it is an http(s) link (it is shown, never fetched). */
export function sourceUrl(alert: Alert | undefined): string | undefined {
  return httpUrl(alert?.generatorURL);
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether an alert's runbook_url means alert-router's own page for that runbook: the same
 * address, or the same `/runbooks/<name>` path on a loopback host, as rules written for a lab
 * stack carry it (`http://localhost:8080/runbooks/X`). A loopback address is no use to anyone
 * reading on another machine, so it is taken for ours rather than shown as a second runbook.
 */
function isOurRunbookPage(url: string, ours: string): boolean {
  const u = new URL(url);
  const o = new URL(ours);
  return u.pathname === o.pathname && (u.origin === o.origin || LOOPBACK.has(u.hostname));
}

const hasRunbook = (runbooks: KnownRunbooks, name: string): boolean =>
  runbooks === undefined || Object.hasOwn(runbooks, name);

/**
 * An alert's runbooks, in order: alert-router's page when it has that runbook, then the alert's
 * own `runbook_url` annotation (http(s) only) unless it is that same page. An alert that names
 * alert-router's page for a runbook alert-router does not have gets no runbook link.
 */
function runbookLinks(
  name: string | undefined,
  annotated: string | undefined,
  publicUrl: string,
  runbooks: KnownRunbooks,
): Array<{ readonly href: string; readonly ours: boolean }> {
  const page = name !== undefined ? runbookUrl(publicUrl, name) : undefined;
  const ours = page && hasRunbook(runbooks, name!) ? page : undefined;
  const theirs = httpUrl(annotated);
  const same = theirs !== undefined && page !== undefined && isOurRunbookPage(theirs, page);
  return [
    ...(ours ? [{ href: ours, ours: true }] : []),
    ...(theirs && !same ? [{ href: theirs, ours: false }] : []),
  ];
}

/** The runbook one alert links to (in its own line of a message): alert-router's, else the alert's own. */
export function alertRunbookUrl(
  alert: Alert,
  publicUrl: string,
  runbooks: KnownRunbooks,
): string | undefined {
  return runbookLinks(alert.labels.alertname, alert.annotations.runbook_url, publicUrl, runbooks)[0]?.href;
}

/** Annotations that name a dashboard, as kube-prometheus, mixins and hand-written rules spell them. */
export const DASHBOARD_ANNOTATIONS = ['dashboard_url', 'grafana_url', 'dashboard'] as const;

/** A link longer than this is no use to a reader (a silence link carries every common label). */
export const MAX_LINK_LENGTH = 2048;

export type LinkKind = 'runbook' | 'dashboard' | 'silence' | 'source';

/** One link of a message, with the words a reader sees on it. */
export interface MessageLink {
  readonly kind: LinkKind;
  /** "Runbook", "Alert's runbook", a runbook dashboard's title, "Dashboard", "Silence", "Source". */
  readonly text: string;
  readonly href: string;
}

/**
 * A group's links, in reading order, as every channel shows them: the runbooks (alert-router's
 * first, then the one the alert carries, told apart when both are there), the dashboards (those
 * the runbook names by uid, when GRAFANA_URL is set, then the alert's dashboard annotation), a
 * silence of the group, the lead alert's source graph. A link that cannot be built, is not
 * http(s), is longer than MAX_LINK_LENGTH or repeats an earlier one is left out.
 * @example messageLinks(fixture('firing'), { publicUrl, alertmanagerUrl }, context.runbooks).map((l) => l.text) // ['Runbook', 'Silence', 'Source']
 */
export function messageLinks(p: WebhookPayload, opts: LinkOptions, runbooks: KnownRunbooks): MessageLink[] {
  const lead = leadAlert(p);
  const note = (key: string): string | undefined => p.commonAnnotations[key] ?? lead?.annotations[key];
  const name = groupName(p);
  const books = runbookLinks(name, note('runbook_url'), opts.publicUrl, runbooks);
  const known = name !== undefined && runbooks && Object.hasOwn(runbooks, name) ? runbooks[name] : undefined;
  const grafana = opts.grafanaUrl;
  const links: Array<{ kind: LinkKind; text: string; href: string | undefined }> = [
    ...books.map((b) => ({
      kind: 'runbook' as const,
      text: b.ours || books.length === 1 ? 'Runbook' : "Alert's runbook",
      href: b.href,
    })),
    ...(grafana
      ? (known?.dashboards ?? []).map((d) => ({
          kind: 'dashboard' as const,
          text: d.title,
          href: dashboardUrl(grafana, d.uid),
        }))
      : []),
    ...DASHBOARD_ANNOTATIONS.map((key) => ({
      kind: 'dashboard' as const,
      text: 'Dashboard',
      href: httpUrl(note(key)),
    })),
    { kind: 'silence', text: 'Silence', href: silenceUrl(p, opts) },
    { kind: 'source', text: 'Source', href: sourceUrl(lead) },
  ];
  const seen = new Set<string>();
  return links.filter((l): l is MessageLink => {
    if (!l.href || l.href.length > MAX_LINK_LENGTH || seen.has(l.href)) return false;
    seen.add(l.href);
    return true;
  });
}
