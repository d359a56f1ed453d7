// The audit chain's pure parts: the canonical form that is hashed, and the export escaping.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { canonicalJson, csvField, eventHash, GENESIS_HASH, xmlEscape, type HashedEvent } from '../../electron/core/audit/trail';

const event: HashedEvent = {
  id: 7,
  time: '2026-12-03T10:15:00.000Z',
  code: '110114',
  type_code: '110122',
  action: 'E',
  outcome: 0,
  user: 'ana',
  role: 'radiologist',
  host: 'ws-1',
  ae_title: null,
  patient_ids: ['P1', 'P"2'],
  study_uids: [],
  description: 'signed in: "ok"',
};

test('canonical JSON has every field, keys sorted, no spaces', () => {
  assert.equal(
    canonicalJson(event),
    '{"ae_title":null,"action":"E","code":"110114","description":"signed in: \\"ok\\"","host":"ws-1","id":7,"outcome":0,' +
      '"patient_ids":["P1","P\\"2"],"role":"radiologist","study_uids":[],"time":"2026-12-03T10:15:00.000Z","type_code":"110122","user":"ana"}',
  );
});

test('canonical JSON does not depend on the order the object was built in', () => {
  const reversed = Object.fromEntries(Object.entries(event).reverse()) as unknown as HashedEvent;
  assert.equal(canonicalJson(reversed), canonicalJson(event));
});

test('canonical JSON ignores fields outside the event and writes a missing one as null', () => {
  const extra = { ...event, hash: 'x', prev_hash: 'y', user_key: 'ana' } as HashedEvent;
  assert.equal(canonicalJson(extra), canonicalJson(event));
  const { role: _role, ...noRole } = event;
  assert.equal(canonicalJson(noRole as HashedEvent), canonicalJson({ ...event, role: null }));
});

test('the hash is sha256 of the previous hash followed by the canonical JSON', () => {
  const expected = createHash('sha256').update(`${GENESIS_HASH}${canonicalJson(event)}`, 'utf8').digest('hex');
  assert.equal(eventHash(GENESIS_HASH, event), expected);
  assert.notEqual(eventHash(GENESIS_HASH, { ...event, description: 'signed in: "ok" ' }), expected);
  assert.notEqual(eventHash(GENESIS_HASH, { ...event, id: 8 }), expected, 'the id is hashed: moving a row shows');
});

test('CSV fields are quoted per RFC 4180 and defused against formulas', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField('=SUM(A1:A9)'), "'=SUM(A1:A9)");
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-2'), "'-2");
  assert.equal(csvField('@cmd'), "'@cmd");
  assert.equal(csvField('=HYPERLINK("x","y")'), '"\'=HYPERLINK(""x"",""y"")"');
  assert.equal(csvField('a=b'), 'a=b', 'only a leading sign is a formula');
  assert.equal(csvField(12), '12');
  assert.equal(csvField(null), '');
});

test('XML text escapes markup and drops characters XML 1.0 forbids', () => {
  assert.equal(xmlEscape(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  assert.equal(xmlEscape('bell\u0007 nul\u0000 esc\u001b fffe\uFFFE'), 'bell nul esc fffe');
  assert.equal(xmlEscape('tab\tline\n'), 'tab&#9;line&#10;');
  assert.equal(xmlEscape('emoji \u{1F600}'), 'emoji \u{1F600}');
});
