#!/usr/bin/env node
// Runs `npm ci` here unless node_modules was already installed from this exact package-lock.json
// (a hash of the lock file is kept in node_modules/.installed-lock.sha256). Maven calls this in
// pre-integration-test so that a fresh clone gets its Node peers and a warm build pays nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const marker = join(here, 'node_modules', '.installed-lock.sha256');
const lockHash = createHash('sha256').update(readFileSync(join(here, 'package-lock.json'))).digest('hex');
if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === lockHash) {
  console.log('node_modules is up to date with package-lock.json');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
if (result.error) {
  console.error(`cannot run npm: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(marker, lockHash + '\n');
