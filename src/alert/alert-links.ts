import { leadAlert } from './alert-order.js';
import { groupName } from './group-name.js';
import type { Alert, WebhookPayload } from './webhook-payload.js';

/** Where the links in a message point: alert-router itself, and the Alertmanager UI when known. */
export interface LinkOptions {
  /** alert-router's address as readers reach it (PUBLIC_URL). */
  readonly publicUrl: string;
  /** The Alertmanager UI for silence links (ALERTMANAGER_URL); else the payload's externalURL. */
  readonly alertmanagerUrl: string | undefined;
}

/** The runbook page alert-router serves for an alert name. */
export function runbookUrl(publicUrl: string, alertname: string | undefined): string {
  return `${publicUrl}/runbooks/${encodeURIComponent(alertname ?? 'unknown')}`;
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

/**
 * A silence for the group's common labels. Uses the configured ALERTMANAGER_URL when given, since
 * the payload's externalURL may be an internal address (or, from a hostile sender, not a web link).
 */
export function silenceUrl(payload: WebhookPayload, alertmanagerUrl: string | undefined): string | undefined {
  const base = alertmanagerUrl ?? httpUrl(payload.externalURL);
  if (!base) return undefined;
  const labels = Object.keys(payload.commonLabels).length > 0 ? payload.commonLabels : payload.groupLabels;
  return silenceLink(base, labels);
}

/** The alert's source graph, only when it is an http(s) link (it is shown, never fetched). */
export function sourceUrl(alert: Alert | undefined): string | undefined {
  return httpUrl(alert?.generatorURL);
}

/** A link longer than this is no use to a reader (a silence link carries every common label). */
export const MAX_LINK_LENGTH = 2048;

export interface GroupLink {
  readonly kind: 'runbook' | 'silence' | 'source';
  readonly href: string;
}

/**
 * A group's links, in reading order, as every channel shows them: the runbook of its name
 * (groupName), a silence of the group, the lead alert's source graph. A link that cannot be
 * built, or is longer than MAX_LINK_LENGTH, is left out.
 * @example groupLinks(fixture('firing'), { publicUrl, alertmanagerUrl }).map((l) => l.kind) // ['runbook', 'silence', 'source']
 */
export function groupLinks(p: WebhookPayload, opts: LinkOptions): GroupLink[] {
  const links: Array<{ kind: GroupLink['kind']; href: string | undefined }> = [
    { kind: 'runbook', href: runbookUrl(opts.publicUrl, groupName(p)) },
    { kind: 'silence', href: silenceUrl(p, opts.alertmanagerUrl) },
    { kind: 'source', href: sourceUrl(leadAlert(p)) },
  ];
  return links.filter((l): l is GroupLink => !!l.href && l.href.length <= MAX_LINK_LENGTH);
}
