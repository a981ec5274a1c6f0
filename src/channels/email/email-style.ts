/**
 * The look every email shares (the incident email and the digest). Mail clients drop <style>
 * blocks and most CSS (Gmail keeps little, Outlook renders with Word), so the layout is nested
 * tables with inline styles only, one 600 px column that shrinks to a phone
 * (https://www.caniemail.com/). Long label values wrap inside their cell instead of widening it.
 */
export const FONT = `-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif`;
export const MONO = `ui-monospace,SFMono-Regular,Menlo,Consolas,monospace`;
export const WRAP = 'overflow-wrap:anywhere;word-break:break-word';
export const TEXT = '#101828';
export const MUTED = '#475467';
export const TABLE = `role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"`;

/** A header's colour by severity: red for critical (or anything unknown), amber, blue; green once resolved. */
export function severityColor(severity: string, resolved: boolean): string {
  if (resolved) return '#067647';
  switch (severity.toLowerCase()) {
    case 'warning':
      return '#b54708';
    case 'info':
    case 'none':
      return '#175cd3';
    default:
      return '#b42318';
  }
}

/** The FIRING / RESOLVED pill of an alert or a group. */
export function statusPill(firing: boolean): string {
  return `<span style="display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:700;letter-spacing:.04em;${
    firing ? 'background:#fee4e2;color:#912018' : 'background:#dcfae6;color:#085d3a'
  }">${firing ? 'FIRING' : 'RESOLVED'}</span>`;
}
