// Every data element of an instance, for the tag browser: tag, keyword, VR and a readable
// value, sequences as nested items. Text is decoded per SpecificCharacterSet (inherited by
// sequence items, as PS3.5 says); binary values are described by their size.
import dicomParser from 'dicom-parser';
import { convertBytes } from 'dicom-character-set';
import dcmjs from 'dcmjs';
import type { TagNode } from '../../../shared/viewer';
import { TAG } from './tags';

const DICTIONARY = dcmjs.data.DicomMetaDictionary.dictionary;
const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
const NUMBER_VRS: Record<string, { size: number; read: (ds: dicomParser.DataSet, tag: string, i: number) => number | undefined }> = {
  US: { size: 2, read: (ds, tag, i) => ds.uint16(tag, i) },
  SS: { size: 2, read: (ds, tag, i) => ds.int16(tag, i) },
  UL: { size: 4, read: (ds, tag, i) => ds.uint32(tag, i) },
  SL: { size: 4, read: (ds, tag, i) => ds.int32(tag, i) },
  FL: { size: 4, read: (ds, tag, i) => ds.float(tag, i) },
  FD: { size: 8, read: (ds, tag, i) => ds.double(tag, i) },
};
/** Values longer than this are cut for display (a whole report text stays in the file). */
const MAX_TEXT = 1024;
const MAX_NUMBERS = 32;

function entry(tag: string): { vr: string; name: string } | undefined {
  return DICTIONARY[tag];
}

/** `x00100010` → `(0010,0010)`. */
function display(key: string): string {
  return `(${key.slice(1, 5)},${key.slice(5, 9)})`.toUpperCase();
}

/** `untilPixelData`: the bytes are a file's start (a very large file): stop at its pixel data. */
export function dumpElements(bytes: Uint8Array, rawSyntax?: string, options: { untilPixelData?: boolean } = {}): TagNode[] {
  const dataset = dicomParser.parseDicom(bytes, {
    ...(rawSyntax ? { TransferSyntaxUID: rawSyntax } : {}),
    ...(options.untilPixelData ? { untilTag: TAG.PixelData } : {}),
    // Implicit VR files say no VR: the dictionary's tells how to read sequences.
    vrCallback: (tag: string) => entry(display(tag))?.vr,
  });
  return nodes(dataset, dataset.string(TAG.SpecificCharacterSet) ?? '');
}

function nodes(ds: dicomParser.DataSet, charset: string): TagNode[] {
  const own = ds.string(TAG.SpecificCharacterSet);
  const set = own ?? charset;
  return Object.keys(ds.elements)
    .sort()
    .map((key) => node(ds, key, set));
}

function node(ds: dicomParser.DataSet, key: string, charset: string): TagNode {
  const element = ds.elements[key];
  const tag = display(key);
  const group = Number.parseInt(key.slice(1, 5), 16);
  const known = group % 2 === 0 ? entry(tag) : undefined;
  const vr = element.vr ?? (element.items ? 'SQ' : (known?.vr ?? 'UN'));
  const keyword = known?.name ?? (element.length === 0 && key.endsWith('0000') ? 'GroupLength' : '');
  if (element.items) {
    return { tag, keyword, vr: 'SQ', value: `${element.items.length} item${element.items.length === 1 ? '' : 's'}`, items: element.items.map((item) => (item.dataSet ? nodes(item.dataSet, charset) : [])) };
  }
  return { tag, keyword, vr, value: value(ds, key, vr, charset, element) };
}

function value(ds: dicomParser.DataSet, key: string, vr: string, charset: string, element: dicomParser.Element): string {
  if (element.fragments) return `<${element.fragments.length} fragment(s), ${element.length >= 0 ? element.length : '?'} bytes of compressed data>`;
  if (element.hadUndefinedLength && !element.items) return '<undefined length>';
  if (element.length === 0) return '';
  if (TEXT_VRS.has(vr)) {
    const raw = ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
    let text: string;
    try {
      text = ['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC'].includes(vr) ? convertBytes(charset, raw, { vr }) : (ds.string(key) ?? '');
    } catch {
      text = ds.string(key) ?? '';
    }
    text = text.replace(/[\0\s]+$/, '');
    return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  }
  const number = NUMBER_VRS[vr];
  if (number) {
    const count = Math.floor(element.length / number.size);
    const values = Array.from({ length: Math.min(count, MAX_NUMBERS) }, (_, i) => number.read(ds, key, i));
    return values.join('\\') + (count > MAX_NUMBERS ? `\\… (${count} values)` : '');
  }
  if (vr === 'AT' && element.length >= 4) return display(ds.attributeTag(key) ?? '');
  return `<${element.length} bytes>`;
}
