#!/usr/bin/env node
// Thin launcher: everything lives in the built CLI (npm ci runs the build through `prepare`).
import { main } from '../dist/cli/main.js';

main(process.argv);
