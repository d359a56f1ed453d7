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
  npmRebuild: boolean;
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
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

test('packages for Linux (AppImage, deb), Windows (NSIS) and macOS (dmg)', () => {
  assert.equal(config.appId, 'org.noctis.workstation');
  assert.equal(config.productName, 'Noctis');
  assert.equal(config.productName, pkg.productName, 'the same name as the data directory uses');
  assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.ok(fs.existsSync(path.join(REPO_ROOT, config.linux.icon)), 'the icon exists');
});

test('the built files are shipped, without their source maps', () => {
  assert.ok(config.files.includes('dist/**/*'));
  assert.ok(config.files.includes('package.json'));
  assert.ok(
    config.files.some((p) => p.startsWith('!') && /\*\.map$/.test(p) && (p.startsWith('!dist/') || p.startsWith('!**/'))),
    'source maps are excluded',
  );
  assert.ok(!config.files.some((p) => /^(electron|renderer|shared|test)\//.test(p)), 'no TypeScript sources');
  assert.equal(config.extraMetadata.main, pkg.main);
  assert.equal(pkg.main, 'dist/electron/main.js');
});

test('native modules and the import worker are unpacked from the asar, and rebuilt for Electron', () => {
  assert.ok(config.asarUnpack.includes('**/*.node'));
  assert.ok(config.asarUnpack.some((p) => p.startsWith('node_modules/better-sqlite3')));
  assert.ok(config.asarUnpack.includes('dist/importWorker.js'), 'worker threads start from a file path');
  assert.equal(config.npmRebuild, true);
  assert.ok('better-sqlite3' in pkg.dependencies, 'native module is a runtime dependency');
  assert.ok('electron' in pkg.devDependencies && !('electron' in pkg.dependencies));
});

test('npm run dist rebuilds native modules for Electron before packaging', () => {
  const steps = pkg.scripts.dist.split('&&').map((s) => s.trim());
  const installDeps = steps.indexOf('electron-builder install-app-deps');
  const builder = steps.findIndex((s) => s === 'electron-builder' || s.startsWith('electron-builder --'));
  assert.ok(steps.includes('npm run build'), 'builds first');
  assert.ok(installDeps >= 0, 'runs electron-builder install-app-deps');
  assert.ok(builder > installDeps, 'then electron-builder');
  assert.ok(steps.indexOf('npm run build') < installDeps);
});

test('fuses close the doors Electron leaves open by default', () => {
  assert.equal(config.electronFuses.runAsNode, false);
  assert.equal(config.electronFuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(config.electronFuses.enableNodeCliInspectArguments, false);
  assert.equal(config.electronFuses.onlyLoadAppFromAsar, true);
  assert.equal(config.electronFuses.enableEmbeddedAsarIntegrityValidation, true);
  assert.equal(config.electronFuses.enableCookieEncryption, true);
  assert.equal(config.electronFuses.grantFileProtocolExtraPrivileges, false);
});
