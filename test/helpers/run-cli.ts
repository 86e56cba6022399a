/** The CLI from source, for tests that need a real process (to kill it). */
import { main } from '../../src/cli/main';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
