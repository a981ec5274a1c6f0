import type { WebClient } from '@slack/web-api';
import { classifySlackError } from '../channels/slack/slack-errors.js';

/** `channels.<name>.silenceAllowed` from the config file: Slack user ids and user group ids. */
export interface SilenceAllowList {
  readonly users: readonly string[];
  readonly userGroups: readonly string[];
}

const GROUP_CACHE_MS = 60_000;

/**
 * Answers "may this user silence from this channel?", reading user groups through
 * `usergroups.users.list` (scope `usergroups:read`) and keeping each answer for a minute, so a
 * burst of clicks costs one Slack call per group.
 */
export class SilencePermission {
  private readonly members = new Map<string, { users: ReadonlySet<string>; until: number }>();

  constructor(private readonly client: WebClient) {}

  async allowed(list: SilenceAllowList | undefined, userId: string): Promise<boolean> {
    if (!list) return true;
    if (list.users.includes(userId)) return true;
    for (const group of list.userGroups) if ((await this.groupMembers(group)).has(userId)) return true;
    return false;
  }

  private async groupMembers(usergroup: string): Promise<ReadonlySet<string>> {
    const cached = this.members.get(usergroup);
    if (cached && cached.until > Date.now()) return cached.users;
    let users: ReadonlySet<string>;
    try {
      const res = await this.client.usergroups.users.list({ usergroup });
      users = new Set(res.users ?? []);
    } catch (err) {
      throw classifySlackError(err);
    }
    this.members.set(usergroup, { users, until: Date.now() + GROUP_CACHE_MS });
    return users;
  }
}
