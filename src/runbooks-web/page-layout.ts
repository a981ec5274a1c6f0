import { utcText } from '../alert/format-duration.js';
import { escapeHtml } from '../lib/html-escape.js';
import { htmlPage } from '../lib/html-page.js';

/** The HTML shell of the runbook pages: the shared one (lib/html-page.ts), under "Runbooks". */
export function page(title: string, body: string): string {
  return htmlPage({ title, body, current: '/runbooks' });
}

/** `alertname="x"` chips; every key and value escaped (label values are attacker-controlled). */
export function labelChips(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort((a, b) =>
    a === 'alertname' ? -1 : b === 'alertname' ? 1 : a.localeCompare(b),
  );
  return `<div class="labels">${keys
    .map((k) => `<span class="label"><b>${escapeHtml(k)}=</b>${escapeHtml(labels[k] ?? '')}</span>`)
    .join('')}</div>`;
}

export const severityBadge = (severity: string | undefined): string =>
  severity ? `<span class="badge sev-${escapeHtml(severity)}">${escapeHtml(severity)}</span>` : '';

/** Escaped text with `code` spans kept as <code> (first steps are one-line markdown). */
export const inlineCode = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/** "2026-11-25 12:42 UTC" */
export const shortTime = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : utcText(d.getTime());
};

export const runbookHref = (alert: string): string => `/runbooks/${encodeURIComponent(alert)}`;
