// The README's pictures cropped to what they show (a dialog, a box, a list) rather than the whole editor: small
// files that still read at the README's width. Beside harness.ts's saveScreenshot, into the same docs/images/.
import type { Locator, Page } from 'playwright-core';
import { writePicture } from './harness';

/** Saves a commit-ready picture of one element of the page under docs/images/. */
export async function saveElementScreenshot(element: Locator, name: string): Promise<string> {
  return writePicture(name, await element.screenshot({ animations: 'disabled' }));
}

/** Saves a commit-ready picture of the smallest box around `elements` (each must be on screen), `pad` px around. */
export async function saveRegionScreenshot(page: Page, elements: Locator[], name: string, pad = 8): Promise<string> {
  const boxes = await Promise.all(elements.map((e) => e.boundingBox()));
  const shown = boxes.filter((b): b is NonNullable<typeof b> => b !== null);
  if (shown.length === 0) throw new Error(`${name}: none of the elements to picture is on screen`);
  const left = Math.max(0, Math.min(...shown.map((b) => b.x)) - pad);
  const top = Math.max(0, Math.min(...shown.map((b) => b.y)) - pad);
  const right = Math.max(...shown.map((b) => b.x + b.width)) + pad;
  const bottom = Math.max(...shown.map((b) => b.y + b.height)) + pad;
  return writePicture(
    name,
    await page.screenshot({ clip: { x: left, y: top, width: right - left, height: bottom - top }, animations: 'disabled' }),
  );
}
