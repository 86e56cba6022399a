import path from 'node:path';

/** The shared folder (specs, datasets): env LEPTON_SHARED, else ../shared next to the repo. */
export function sharedDir(): string {
  return process.env.LEPTON_SHARED ?? path.resolve(process.cwd(), '..', 'shared');
}
