#!/usr/bin/env node
// The executable: everything lives in the built CLI (src/cli.ts).
import { run } from '../dist/cli.js';

await run();
