import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { STATIC } from './paths.mjs';

const source = readFileSync(join(STATIC, 'sw.js'), 'utf8');
const shell = [...source.match(/const SHELL = \[([\s\S]*?)\];/)[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield relative(STATIC, path);
  }
}

test('the service worker precaches every file of the shell', () => {
  const served = [...files(STATIC)]
    .filter((path) => !path.startsWith('vendor/') && !path.endsWith('.md'))
    .filter((path) => !['sw.js', 'index.html', 'manifest.webmanifest'].includes(path))
    .map((path) => `/static/${path}`);
  const missing = served.filter((url) => !shell.includes(url));
  assert.deepEqual(missing, [], 'add these to SHELL in sw.js and bump CACHE_VERSION');
  assert.ok(shell.includes('/'), 'the page itself');
  assert.ok(shell.includes('/manifest.webmanifest'));
});

test('every precached file exists', () => {
  const absent = shell
    .filter((url) => url.startsWith('/static/'))
    .filter((url) => !existsSync(join(STATIC, url.slice('/static/'.length))));
  assert.deepEqual(absent, []);
});

test('the API is never cached and a cache version is set', () => {
  assert.match(source, /const CACHE_VERSION = '[^']+'/);
  assert.match(source, /startsWith\('\/api\/'\)\) return;/);
});

test('the manifest names the icons that exist', () => {
  const manifest = JSON.parse(readFileSync(join(STATIC, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.start_url, '/');
  for (const icon of manifest.icons) assert.ok(existsSync(join(STATIC, icon.src.replace('/static/', ''))), icon.src);
});
