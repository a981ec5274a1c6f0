import type { Browser, Frame, Locator, Page } from 'playwright-core';

/**
 * Elements wider than the screen, or overflowing their own box, in a page or frame: the first few,
 * named. `pre` and tables scroll inside themselves by design and are left out.
 * @example assert.deepEqual(await overflowing(page), [])
 */
export async function overflowing(where: Page | Frame): Promise<string[]> {
  return where.evaluate(`[...document.querySelectorAll('body *')]
    .filter((e) => !e.closest('pre') && (e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'auto')))
    .map((e) => e.tagName + '.' + e.className + ':' + (e.textContent || '').slice(0, 40)).slice(0, 5)`);
}

/** A page of the given width that records console errors, page errors and dialogs. */
export async function openPage(
  browser: Browser,
  url: string,
  width: number,
): Promise<{ page: Page; errors: string[]; dialogs: string[]; status: number | undefined }> {
  const page = await browser.newPage({ viewport: { width, height: width < 600 ? 844 : 900 }, deviceScaleFactor: width < 600 ? 2 : 1 });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const res = await page.goto(url, { waitUntil: 'load' });
  return { page, errors, dialogs, status: res?.status() };
}

/** Each matched element's text and href, in order: what a reader sees and where it leads. */
export async function linksOf(elements: Locator): Promise<Array<[string, string | null]>> {
  type Anchor = { textContent: string | null; getAttribute(name: string): string | null };
  return elements.evaluateAll((els: Anchor[]) => els.map((a): [string, string | null] => [a.textContent ?? '', a.getAttribute('href')]));
}

/** The document inside an iframe element. */
export async function frameOf(iframe: Locator): Promise<Frame> {
  const frame = await (await iframe.elementHandle())?.contentFrame();
  if (!frame) throw new Error('not a frame, or its document is not loaded');
  return frame;
}
