import type { WebhookPayload } from '../../src/alert/webhook-payload.js';
import { fixture } from '../../support/fixtures.js';

/**
 * A captured notification (firing or resolved) turned into an `info` group of its own, named
 * `name`: the same name and `groupId` give the same group, so a resolution follows its firing.
 * @example await post(router.url, infoNotification('DiskSlowlyFilling', 'firing', id))
 */
export function infoNotification(
  name: string,
  status: 'firing' | 'resolved' = 'firing',
  groupId: string = name,
): WebhookPayload {
  const p = fixture(status);
  const labels = (l: Record<string, string>): Record<string, string> => ({
    ...l,
    alertname: name,
    severity: 'info',
  });
  const annotations = (a: Record<string, string>): Record<string, string> => ({
    ...a,
    summary: `${name} needs a look`,
    runbook_url: `https://wiki.example/${name}`,
  });
  return {
    ...p,
    alerts: p.alerts.map((a) => ({
      ...a,
      labels: labels(a.labels),
      annotations: annotations(a.annotations),
    })),
    commonLabels: labels(p.commonLabels),
    groupLabels: { ...p.groupLabels, alertname: name },
    commonAnnotations: annotations(p.commonAnnotations),
    groupKey: `{}:{alertname="${name}"}/${groupId}`,
  };
}
