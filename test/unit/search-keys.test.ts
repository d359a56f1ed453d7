// The study browser's keys: text folded for case and accents, the terms a study is found by,
// and the words of a typed query.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldText, nameSortKey, prefixRange, queryWords, studyTerms } from '../../electron/core/store/searchKeys';

test('folding drops case and accents, and spells letters that have no accent to drop', () => {
  assert.equal(foldText('MÜLLER^Jürgen'), 'muller^jurgen');
  assert.equal(foldText('Ørsted Æsop Straße Łódź'), 'orsted aesop strasse lodz');
  assert.equal(foldText('İSTANBUL'), 'istanbul');
  assert.equal(nameSortKey('MÜLLER^JÜRGEN=ミュラー'), 'muller^jurgen', 'the alphabetic group only');
});

test('a study is found by each name component and by its identifiers as a whole', () => {
  const terms = studyTerms({ patientName: "O'BRIEN-SMITH^Seán^^Dr=オブライエン", patientId: 'AB-123', accessionNumber: 'ACC 9', localReference: '' });
  assert.deepEqual(terms.sort(), ["o'brien-smith", 'obriensmith', 'o', 'brien', 'smith', 'sean', 'dr', 'ab-123', 'acc 9'].sort());
});

test('a query is split into folded words; a trailing * is a prefix like any other word', () => {
  assert.deepEqual(queryWords('  Müller,  Jürgen '), ['muller', 'jurgen']);
  assert.deepEqual(queryWords('MÜLLER^JÜR*'), ['muller', 'jur']);
  assert.deepEqual(queryWords('a a b'), ['a', 'b']);
  assert.deepEqual(queryWords('***'), []);
  assert.deepEqual(queryWords(undefined), []);
});

test('a prefix range holds exactly the terms that start with the prefix', () => {
  const { from, to } = prefixRange('mul');
  const inRange = (term: string) => Buffer.compare(Buffer.from(term), Buffer.from(from)) >= 0 && Buffer.compare(Buffer.from(term), Buffer.from(to)) < 0;
  assert.ok(inRange('mul') && inRange('muller') && inRange('mul\u{10FFFE}'));
  assert.ok(!inRange('mum') && !inRange('mu') && !inRange('mtz'));
});
