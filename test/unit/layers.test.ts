// The lint rules that keep the architecture's layers: they must fail on a wrong import.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '../helpers';

// The files linted here do not exist, so the type-aware rules (which need a program) are off;
// the layer rules are syntactic and come from the project's own config.
const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], 'the snippet parses');
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

test('electron/core may not import electron', async () => {
  assert.equal((await restricted('electron/core/store/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).length, 1);
  assert.equal((await restricted('electron/core/store/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).length, 0);
  assert.equal((await restricted('electron/core/x.ts', "import { bindIpc } from '../shell/ipc';\nexport const a = bindIpc;\n")).length, 1);
});

test('shared imports neither Node nor Electron nor other layers', async () => {
  assert.equal((await restricted('shared/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).length, 1);
  assert.equal((await restricted('shared/x.ts', "import path from 'path';\nexport const a = path;\n")).length, 1);
  assert.equal((await restricted('shared/x.ts', "import { createCore } from '../electron/core';\nexport const a = createCore;\n")).length, 1);
  assert.equal((await restricted('shared/x.ts', 'export const a = document.title;\n')).length, 1);
});

test('the renderer imports only renderer and shared', async () => {
  assert.equal((await restricted('renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).length, 1);
  assert.equal((await restricted('renderer/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).length, 1);
  assert.equal((await restricted('renderer/src/x.ts', "import { createCore } from '../../electron/core';\nexport const a = createCore;\n")).length, 1);
  assert.equal((await restricted('renderer/src/x.ts', "import { ERROR_CATALOGUE } from '../../shared/errors';\nexport const a = ERROR_CATALOGUE;\n")).length, 0);
});

test('the shell may import electron', async () => {
  assert.equal((await restricted('electron/shell/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).length, 0);
});
