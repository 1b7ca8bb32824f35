#!/usr/bin/env node
// The `concurrency-lab` command. A committed, executable file: tsc writes lib/dist/cli.js
// without the executable bit, so npm's bin link cannot point there in a fresh checkout.
require('../dist/cli.js').run();
