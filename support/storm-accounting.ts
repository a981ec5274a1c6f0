import type { FakeSlack, SlackRequest } from './fake-slack.js';

/** Top-level messages (not thread replies) the local Slack accepted in one channel since `since`. */
export function topLevel(slack: FakeSlack, channel: string, since: number): SlackRequest[] {
  return slack
    .calls('chat.postMessage')
    .filter((r) => r.body.thread_ts === undefined && r.at >= since && r.response?.status === 200)
    .filter((r) => (r.response?.body as { channel?: string }).channel === channel);
}

export const isDigest = (r: SlackRequest): boolean => /^(Alert storm|Storm over)/.test(String(r.body.text));

/** The digest as it reads now (after every chat.update): its header, group count and storm page. */
export function digestNow(
  slack: FakeSlack,
  digest: SlackRequest,
): { text: string; groups: number; page: string } {
  const msg = slack.message(slack.tsOf(digest))!;
  const text = String(msg.text);
  const blocks = msg.blocks as Array<{ type: string; elements?: Array<{ url?: string }> }>;
  const page = blocks.find((b) => b.type === 'actions')!.elements![0]!.url!;
  return { text, groups: Number(/(\d+) groups/.exec(text)![1]), page };
}

export interface StormPage {
  readonly id: string;
  readonly groups: ReadonlyArray<{ readonly groupKey: string; readonly status: string }>;
}

/** The storm page's JSON, asked of alert-router at `routerUrl` (the digest links to PUBLIC_URL). */
export async function stormPage(routerUrl: string, page: string): Promise<StormPage> {
  const url = new URL(page);
  const res = await fetch(`${routerUrl}${url.pathname}`, { headers: { accept: 'application/json' } });
  if (res.status !== 200) throw new Error(`${url.pathname} answered ${res.status}`);
  return (await res.json()) as StormPage;
}

export interface Accounting {
  readonly own: SlackRequest[];
  readonly digests: SlackRequest[];
  /** The storm page's groups, when there is one digest. */
  readonly page?: StormPage;
  /** Group keys neither named in a message of their own nor listed on the storm page. */
  readonly missing: readonly string[];
}

/**
 * What a reader of the channel can see of `groupKeys`: each named in a message of its own (by its
 * `service` label, which stormGroup makes unique), or counted in the one digest and listed on the
 * storm page it links to (and the digest's count must match the page).
 */
export async function accountFor(
  slack: FakeSlack,
  routerUrl: string,
  channel: string,
  since: number,
  groupKeys: readonly string[],
): Promise<Accounting> {
  const posts = topLevel(slack, channel, since);
  const digests = posts.filter(isDigest);
  const own = posts.filter((p) => !isDigest(p));
  const shown = new Set<string>();
  let page: StormPage | undefined;
  if (digests.length === 1) {
    const now = digestNow(slack, digests[0]!);
    page = await stormPage(routerUrl, now.page);
    if (now.groups === page.groups.length) for (const g of page.groups) shown.add(g.groupKey);
  }
  const text = own.map((p) => JSON.stringify(p.body.blocks)).join('\n');
  const missing = groupKeys.filter((k) => {
    if (shown.has(k)) return false;
    const service = /service="([^"]+)"/.exec(k)?.[1];
    // Whole names only: svc-x-1 is not named by a message about svc-x-10.
    return !(service && new RegExp(`${service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text));
  });
  return { own, digests, ...(page ? { page } : {}), missing };
}
