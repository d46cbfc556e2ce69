#!/usr/bin/env node
// Thin launcher: everything lives in the built CLI (dist/, built by `npm run build`, `npm test`
// and `npm pack`).
import { main } from '../dist/cli/main.js';

main(process.argv);
