// Search keys of the study browser: text folded for case and accents, and the terms a study is
// found by (name components, patient ID, accession number, local reference), matched by prefix.

/** Letters that carry no combining mark to strip, spelled as a user without the key types them. */
const SPELLED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ı: 'i',
  þ: 'th',
  ŋ: 'n',
  ħ: 'h',
};
const SPELLED_RE = new RegExp(`[${Object.keys(SPELLED).join('')}]`, 'gu');

/** Lower case, accents dropped ("Müller" → "muller", "Ørsted" → "orsted"). */
export function foldText(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(SPELLED_RE, (c) => SPELLED[c]);
}

/** Sort key of a person name: its alphabetic group folded, components kept apart by '^'. */
export function nameSortKey(pn: string): string {
  return foldText(pn.split('=')[0]).trim();
}

/**
 * Each word of a name (components split on '^' and spaces), and for words joined by punctuation
 * ("O'Brien", "Smith-Jones") the parts and the word without it: "brien", "obr" and "smith-j" find it.
 */
function nameWords(alphabetic: string): string[] {
  const found: string[] = [];
  for (const word of foldText(alphabetic).split(/[\s^]+/u)) {
    if (!word) continue;
    found.push(word);
    const parts = word.split(/[-'’.,/_]+/).filter(Boolean);
    if (parts.length > 1) found.push(...parts, parts.join(''));
  }
  return found;
}

export interface StudyTermSource {
  patientName: string;
  patientId: string;
  accessionNumber: string;
  localReference: string;
}

/** The terms a study is found by: a query word finds it when it is the prefix of one of them. */
export function studyTerms(study: StudyTermSource): string[] {
  const terms = new Set<string>(nameWords(study.patientName.split('=')[0]));
  // Identifiers are matched by prefix of the whole value only.
  for (const value of [study.patientId, study.accessionNumber, study.localReference]) {
    const whole = foldText(value).trim();
    if (whole) terms.add(whole);
  }
  return [...terms];
}

/** The first letter (code point, as SQLite's substr counts) of a term. */
export function initialOf(term: string): string {
  return String.fromCodePoint(term.codePointAt(0) ?? 0);
}

/** At most this many words of a query are used. */
export const MAX_QUERY_WORDS = 8;

/** The words of a typed query, folded: each must be the prefix of one of a study's terms. */
export function queryWords(query: string | undefined): string[] {
  if (!query) return [];
  const unique = new Set(
    foldText(query)
      .split(/[\s^,]+/u)
      // A trailing * (as in a DICOM query) says "prefix", which every word already is.
      .map((word) => word.replace(/\*+$/, ''))
      .filter(Boolean),
  );
  return [...unique].slice(0, MAX_QUERY_WORDS);
}

/** The largest code point: every string that starts with `prefix` sorts below `prefix + TOP`. */
const TOP = String.fromCodePoint(0x10ffff);

/** Bounds of the index range holding every term that starts with `prefix` (SQLite compares UTF-8 bytes). */
export function prefixRange(prefix: string): { from: string; to: string } {
  return { from: prefix, to: prefix + TOP };
}
