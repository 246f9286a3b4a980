#!/usr/bin/env node
// The executable: everything lives in the built CLI (src/cli/index.ts).
import { run } from '../dist/cli/index.js';

await run();
