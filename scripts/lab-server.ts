/**
 * What the two scripts that start JupyterLab share (readme-test.ts checks that `npm run lab` serves;
 * browser-notebooks.ts runs every notebook in it): a free local port, and a wait until the server
 * answers HTTP that gives up early when the server process has already exited.
 */
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once `url` answers with a 2xx status; rejects when `server` exits first or after
 * `timeoutMs`, with a message that names `what`, the URL and the exit code or the time waited.
 */
export async function waitForHttp(
  url: string,
  server: ChildProcess,
  timeoutMs: number,
  what = 'JupyterLab',
  pollMs = 500,
): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (server.exitCode !== null)
      throw new Error(`${what} exited with code ${server.exitCode} before answering ${url}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`);
}
