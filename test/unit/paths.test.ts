import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { defaultDataDir } from '../../electron/core/paths';

test('the default data directory is where Electron puts userData for Noctis', () => {
  const home = os.homedir();
  assert.equal(defaultDataDir({}, 'linux'), path.join(home, '.config', 'Noctis'));
  assert.equal(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux'), path.join('/x/cfg', 'Noctis'));
  assert.equal(defaultDataDir({}, 'darwin'), path.join(home, 'Library', 'Application Support', 'Noctis'));
  assert.equal(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32'), path.join('C:\\Users\\a\\AppData\\Roaming', 'Noctis'));
});

test('NOCTIS_DATA_DIR overrides it', () => {
  assert.equal(defaultDataDir({ NOCTIS_DATA_DIR: '/srv/noctis' }, 'linux'), path.resolve('/srv/noctis'));
});
