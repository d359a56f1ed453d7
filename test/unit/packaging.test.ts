// Electron cannot be downloaded here, so the packaging is checked as configuration.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers';

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  extraMetadata: { main: string };
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  win: { target: string[] };
  mac: { target: string[] };
}

const config = parse(fs.readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

test('packages for Linux (AppImage, deb), Windows (NSIS) and macOS (dmg)', () => {
  assert.equal(config.appId, 'org.noctis.workstation');
  assert.equal(config.productName, pkg.productName, 'the same name as the data directory uses');
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.ok(fs.existsSync(path.join(REPO_ROOT, config.linux.icon)), 'the icon exists');
});

test('native modules are unpacked from the asar and the built files are shipped', () => {
  assert.ok(config.asarUnpack.includes('**/*.node'));
  assert.ok(config.asarUnpack.some((p) => p.startsWith('node_modules/better-sqlite3')));
  assert.ok(config.files.includes('dist/**/*'));
  assert.equal(config.extraMetadata.main, pkg.main);
  assert.ok('better-sqlite3' in pkg.dependencies, 'native module is a runtime dependency');
  assert.ok('electron' in pkg.devDependencies && !('electron' in pkg.dependencies));
});

test('fuses close the doors Electron leaves open by default', () => {
  assert.equal(config.electronFuses.runAsNode, false);
  assert.equal(config.electronFuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(config.electronFuses.enableNodeCliInspectArguments, false);
  assert.equal(config.electronFuses.onlyLoadAppFromAsar, true);
});
