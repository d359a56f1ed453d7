// The Part 10 header (preamble, "DICM", file meta information) for a bare dataset, so that a
// viewer can read a file that was stored without one. The stored file is never rewritten.

export interface MetaInfo {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** The AE that sent it (SourceApplicationEntityTitle), for instances received over the network. */
  sourceAeTitle?: string;
}

/** Noctis's implementation class UID (under the UUID-derived 2.25 root). */
export const IMPLEMENTATION_CLASS_UID = '2.25.287136920931785423452102391375234570419';
const IMPLEMENTATION_VERSION = 'NOCTIS_0_1';

export function part10Prefix(meta: MetaInfo): Buffer {
  const elements = [
    element(0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 'UI', uid(meta.sopClassUid)),
    element(0x0003, 'UI', uid(meta.sopInstanceUid)),
    element(0x0010, 'UI', uid(meta.transferSyntaxUid)),
    element(0x0012, 'UI', uid(IMPLEMENTATION_CLASS_UID)),
    element(0x0013, 'SH', text(IMPLEMENTATION_VERSION)),
    ...(meta.sourceAeTitle ? [element(0x0016, 'AE', text(meta.sourceAeTitle))] : []),
  ];
  const body = Buffer.concat(elements);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(body.length);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0000, 'UL', groupLength), body]);
}

/** Explicit VR little endian element of group 0002. */
function element(elementNumber: number, vr: string, value: Buffer): Buffer {
  const long = vr === 'OB';
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(0x0002, 0);
  header.writeUInt16LE(elementNumber, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(value.length, 8);
  else header.writeUInt16LE(value.length, 6);
  return Buffer.concat([header, value]);
}

/** UIDs are padded to even length with NUL, text with a space (PS3.5 6.2). */
export function uid(value: string): Buffer {
  return Buffer.from(value.length % 2 ? `${value}\0` : value, 'latin1');
}

export function text(value: string): Buffer {
  return Buffer.from(value.length % 2 ? `${value} ` : value, 'latin1');
}

/** VRs with a 4-byte length after two reserved bytes in explicit VR (PS3.5 7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/**
 * Where the data set starts in a Part 10 file: after the preamble, "DICM" and every element of
 * group 0002 (walked, not trusted to the group length, which some writers get wrong).
 * 0 for a bare data set; undefined when the header is cut short.
 */
export function datasetOffset(head: Buffer): number | undefined {
  if (head.length < 132 || head.toString('latin1', 128, 132) !== 'DICM') return 0;
  let offset = 132;
  while (offset + 8 <= head.length && head.readUInt16LE(offset) === 0x0002) {
    const vr = head.toString('latin1', offset + 4, offset + 6);
    if (LONG_VRS.has(vr)) {
      if (offset + 12 > head.length) return undefined;
      offset += 12 + head.readUInt32LE(offset + 8);
    } else {
      offset += 8 + head.readUInt16LE(offset + 6);
    }
  }
  return offset <= head.length ? offset : undefined;
}
