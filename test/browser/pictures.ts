// The README's pictures cropped to what they show (a dialog, a box, a list) rather than the whole editor: small
// files that still read at the README's width. Beside harness.ts's saveScreenshot, into the same docs/images/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { SCREENSHOT_DIR } from './harness';

/** Saves a commit-ready picture of one element of the page under docs/images/. */
export async function saveElementScreenshot(element: Locator, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name);
  await element.screenshot({ path: file, animations: 'disabled' });
  return file;
}
