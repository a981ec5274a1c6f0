type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const textOf = (o: unknown): string => str((o as { text?: unknown } | undefined)?.text);

/**
 * What Slack would refuse in a chat.postMessage/chat.update body (`invalid_blocks`,
 * `msg_too_long`): a real Slack fails such a delivery for good, so a test must catch it here.
 * Limits from Slack's Block Kit reference: 50 blocks, header 150, section text 3,000, 10 fields of
 * 2,000, 10 context elements, button text 75 and URL 3,000, ids 255, message text 40,000.
 * @example assert.deepEqual(blockKitProblems(request.body), [])
 */
export function blockKitProblems(body: Json): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) problems.push(what);
  };
  check(str(body.text).length <= 40_000, 'text over 40,000 characters');
  const blocks = (body.blocks ?? []) as Json[];
  check(blocks.length <= 50, `${blocks.length} blocks`);
  blocks.forEach((b, i) => {
    const at = `blocks[${i}] (${String(b.type)})`;
    if (b.type === 'header') {
      const t = textOf(b.text);
      check(t.length > 0 && t.length <= 150, `${at}: header text of ${t.length}`);
    }
    if (b.type === 'section') {
      const t = textOf(b.text);
      check(t.length > 0 && t.length <= 3000, `${at}: section text of ${t.length}`);
      const fields = (b.fields ?? []) as Json[];
      check(fields.length <= 10, `${at}: ${fields.length} fields`);
      for (const f of fields) check(textOf(f).length > 0 && textOf(f).length <= 2000, `${at}: field of ${textOf(f).length}`);
    }
    if (b.type === 'context') {
      const els = (b.elements ?? []) as Json[];
      check(els.length <= 10, `${at}: ${els.length} elements`);
      for (const e of els) check(textOf(e).length > 0 && textOf(e).length <= 3000, `${at}: element of ${textOf(e).length}`);
    }
    if (b.type === 'actions')
      for (const e of (b.elements ?? []) as Json[]) {
        check(textOf(e.text).length > 0 && textOf(e.text).length <= 75, `${at}: button text`);
        check(str(e.url).length <= 3000, `${at}: button url of ${str(e.url).length}`);
        check(str(e.action_id).length <= 255, `${at}: action_id`);
      }
  });
  return problems;
}
