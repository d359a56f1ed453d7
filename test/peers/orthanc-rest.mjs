// A tiny client for Orthanc's REST API, for use inside runWithOrthanc's network namespace (where
// the test's own process cannot reach). Base URL: $ORTHANC_HTTP (default http://127.0.0.1:8042).
//   node orthanc-rest.mjs get <path>           body to stdout (binary safe)
//   node orthanc-rest.mjs post <path> <file>   POSTs the file (e.g. /instances), body to stdout
//   node orthanc-rest.mjs dump <dir>           every instance to <dir>/<SOPInstanceUID>.dcm
//   node orthanc-rest.mjs wait <ms> [pid]      until GET /system answers; fails early if pid exits
import fs from 'node:fs';
import path from 'node:path';

const base = process.env.ORTHANC_HTTP ?? 'http://127.0.0.1:8042';
const [command, ...args] = process.argv.slice(2);

async function request(urlPath, init) {
  const response = await fetch(base + urlPath, init);
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${urlPath}: HTTP ${response.status} ${body.toString('utf8').slice(0, 500)}`);
  return body;
}

// Orthanc is our parent's child: once it exits it stays a zombie until waited for, so look at its state.
function alive(pid) {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function wait(ms, pid) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await request('/system');
      return;
    } catch {
      // not listening yet
    }
    if (pid && !alive(pid)) throw new Error('Orthanc exited before answering (see its log)');
    if (Date.now() > deadline) throw new Error(`Orthanc did not answer ${base}/system within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function dump(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const instances = JSON.parse((await request('/instances?expand')).toString('utf8'));
  for (const instance of instances) {
    const file = await request(`/instances/${instance.ID}/file`);
    fs.writeFileSync(path.join(dir, `${instance.MainDicomTags.SOPInstanceUID}.dcm`), file);
  }
}

try {
  if (command === 'get') process.stdout.write(await request(args[0]));
  else if (command === 'post') process.stdout.write(await request(args[0], { method: 'POST', body: fs.readFileSync(args[1]) }));
  else if (command === 'dump') await dump(args[0]);
  else if (command === 'wait') await wait(Number(args[0]), Number(args[1] ?? 0));
  else throw new Error(`usage: orthanc-rest.mjs get|post|dump|wait ... (got ${command})`);
} catch (error) {
  process.stderr.write(`orthanc-rest: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
