/**
 * `npm test`'s set-up (its pretest step): everything the tests use from the system (Jupyter,
 * the Python programs' modules, redis-server, Chromium), found or installed the way `npm start`
 * installs them. Stops with one line when it cannot.
 */
import { ensureJupyter } from './jupyter';
import { ensureChromium, ensurePythonPeers, ensureRedis } from './system';

function main(): void {
  try {
    ensurePythonPeers(ensureJupyter());
    ensureRedis();
    ensureChromium();
  } catch (error) {
    console.error(`npm test: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

main();
