// `noctis users …` and `noctis facilities …`: local administration for scripted installs. They go
// through the handler table as the local user (`cli:<os user>`), so the same rules and the same
// audit events apply as in the admin window. Passwords come from stdin or a prompt, never argv.
import readline from 'node:readline';
import type { UserRow } from '../../shared/auth';
import { isRole } from '../../shared/auth';
import type { Core } from '../core';
import { call } from '../core/api/dispatch';
import type { CallContext } from '../core/api/handlers';

export class UsageError extends Error {}

export interface AccountOptions {
  json: boolean;
  username?: string;
  role?: string;
  facility?: string;
  license?: string;
  'display-name'?: string;
  specialization?: string;
  'keep-password'?: boolean;
  name?: string;
  institution?: string[];
}

export function cliContext(core: Pick<Core, 'localUser'>): CallContext {
  return { instanceUrl: () => '', local: { user: core.localUser } };
}

/** The first line of stdin when it is piped; a prompt that does not echo on a terminal. */
export async function readPassword(prompt: string, input: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (!input.isTTY) {
    const rl = readline.createInterface({ input });
    for await (const line of rl) {
      rl.close();
      return line.replace(/\r$/, '');
    }
    throw new UsageError('no password on stdin');
  }
  process.stderr.write(prompt);
  const rl = readline.createInterface({ input, output: process.stderr, terminal: true });
  // Echo nothing of what is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

function print(json: boolean, value: unknown, line: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${line}\n`);
}

function userLine(u: UserRow): string {
  const status = u.disabled ? 'disabled' : u.lockedUntil ? `locked until ${u.lockedUntil}` : 'active';
  return [u.username, u.role, u.facilityName ?? '-', u.licenseNumber || '-', status, u.mustChangePassword ? 'must change password' : ''].join('\t').trimEnd();
}

async function findUser(core: Core, ctx: CallContext, username: string | undefined): Promise<UserRow> {
  if (!username) throw new UsageError('--username is required');
  const users = await call(core.dispatch, 'users.list', {}, ctx);
  const user = users.find((u) => u.username.toLowerCase() === username.trim().toLowerCase());
  if (!user) throw new UsageError(`No account named ${username}`);
  return user;
}

/** The facility's id, creating it when a scripted install names one that does not exist yet. */
async function facilityId(core: Core, ctx: CallContext, name: string | undefined): Promise<number | undefined> {
  if (!name) return undefined;
  const existing = (await call(core.dispatch, 'facilities.list', {}, ctx)).find((f) => f.name.toLowerCase() === name.trim().toLowerCase());
  if (existing) return existing.facilityId;
  const created = await call(core.dispatch, 'facilities.create', { name }, ctx);
  process.stderr.write(`Created facility ${created.name}.\n`);
  return created.facilityId;
}

export async function runUsers(core: Core, sub: string | undefined, o: AccountOptions): Promise<number> {
  const ctx = cliContext(core);
  switch (sub) {
    case 'add': {
      if (!o.username) throw new UsageError('--username is required');
      if (!isRole(o.role)) throw new UsageError('--role must be admin, radiologist, technologist or facility_user');
      const password = await readPassword(`Password for ${o.username}: `);
      const change = await call(
        core.dispatch,
        'users.create',
        {
          username: o.username,
          password,
          role: o.role,
          displayName: o['display-name'],
          facilityId: await facilityId(core, ctx, o.facility),
          licenseNumber: o.license,
          specialization: o.specialization,
          mustChangePassword: !o['keep-password'],
        },
        ctx,
      );
      for (const warning of change.warnings) process.stderr.write(`Warning: ${warning}\n`);
      print(o.json, change.user, userLine(change.user));
      return 0;
    }
    case 'list': {
      const users = await call(core.dispatch, 'users.list', {}, ctx);
      print(o.json, users, users.map(userLine).join('\n'));
      return 0;
    }
    case 'disable':
    case 'enable':
    case 'unlock': {
      const user = await findUser(core, ctx, o.username);
      const channel = sub === 'disable' ? 'users.disable' : sub === 'enable' ? 'users.enable' : 'users.unlock';
      const change = await call(core.dispatch, channel, { userId: user.userId }, ctx);
      print(o.json, change.user, userLine(change.user));
      return 0;
    }
    case 'reset-password': {
      const user = await findUser(core, ctx, o.username);
      const password = await readPassword(`New password for ${user.username}: `);
      const change = await call(core.dispatch, 'users.resetPassword', { userId: user.userId, password }, ctx);
      print(o.json, change.user, userLine(change.user));
      return 0;
    }
    default:
      throw new UsageError(`users: add, list, disable, enable, unlock or reset-password, not ${sub ?? 'nothing'}`);
  }
}

export async function runFacilities(core: Core, sub: string | undefined, o: AccountOptions): Promise<number> {
  const ctx = cliContext(core);
  switch (sub) {
    case 'add': {
      if (!o.name) throw new UsageError('--name is required');
      const facility = await call(core.dispatch, 'facilities.create', { name: o.name, institutions: o.institution }, ctx);
      print(o.json, facility, `${facility.facilityId}\t${facility.name}\t${facility.institutions.join(', ')}`);
      return 0;
    }
    case 'list': {
      const list = await call(core.dispatch, 'facilities.list', {}, ctx);
      print(o.json, list, list.map((f) => `${f.facilityId}\t${f.name}\t${f.institutions.join(', ')}`).join('\n'));
      return 0;
    }
    default:
      throw new UsageError(`facilities: add or list, not ${sub ?? 'nothing'}`);
  }
}
