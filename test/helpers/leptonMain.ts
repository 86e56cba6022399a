/** `lepton` from the TypeScript sources, for tests that need a separate process (kill -9, workers). */
import { main } from '../../src/cli/main';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
