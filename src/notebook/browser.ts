/**
 * Headless Chromium for static figure export, through playwright-core and the system browser
 * (Debian's `chromium`; never a downloaded one). Flags: no sandbox (CI runs as root), no GPU,
 * no QUIC, no background networking / component updates / sync / first-run UI, and a fresh
 * profile folder per launch (removed on close), so an export never depends on or changes a
 * user's browser state and never touches the network.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The browser binary: $LEPTON_CHROMIUM, else the Debian/Ubuntu locations. */
export function chromiumPath(): string {
  const candidates = [process.env.LEPTON_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error(
    `no Chromium found (tried ${candidates.filter(Boolean).join(', ')}): apt-get install chromium, or set LEPTON_CHROMIUM`,
  );
}

/** Launch flags (the profile folder is added by `launchChromium`). */
export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** What the export needs of a playwright BrowserContext (kept structural: playwright-core is a dev dependency). */
export interface BrowserSession {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  page: any;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile and one page; `close()` also deletes the profile. */
export async function launchChromium(viewport = { width: 1200, height: 900 }): Promise<BrowserSession> {
  const executablePath = chromiumPath();
  let pw: typeof import('playwright-core');
  try {
    pw = await import('playwright-core');
  } catch {
    throw new Error('static export needs playwright-core (npm install --save-dev playwright-core)');
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), 'lepton-chromium-'));
  try {
    // launchPersistentContext is playwright's way to pass --user-data-dir (launch() refuses the flag).
    const context = await pw.chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      viewport,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      page,
      async close() {
        try {
          await context.close();
        } finally {
          rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}
