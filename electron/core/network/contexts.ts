// Presentation context negotiation of the receiver: every storage SOP class, in a transfer
// syntax the viewer can display, taking the proposer's compressed syntax when it offers one, so
// that nothing is transcoded and the stored bytes are the sender's.

export const VERIFICATION = '1.2.840.10008.1.1';

/** Uncompressed syntaxes (accepted in the proposer's order when nothing compressed is offered). */
const UNCOMPRESSED = [
  '1.2.840.10008.1.2.1', // explicit VR little endian
  '1.2.840.10008.1.2', // implicit VR little endian
  '1.2.840.10008.1.2.1.99', // deflated explicit VR little endian
  '1.2.840.10008.1.2.2', // explicit VR big endian (retired, still sent by old modalities)
];

/** Compressed syntaxes Cornerstone's codecs decode. */
const COMPRESSED = new Set([
  '1.2.840.10008.1.2.4.50', // JPEG baseline
  '1.2.840.10008.1.2.4.51', // JPEG extended (12-bit)
  '1.2.840.10008.1.2.4.57', // JPEG lossless
  '1.2.840.10008.1.2.4.70', // JPEG lossless, first-order prediction
  '1.2.840.10008.1.2.4.80', // JPEG-LS lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS near-lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 lossless
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.201', // HTJ2K lossless
  '1.2.840.10008.1.2.4.202', // HTJ2K lossless RPCL
  '1.2.840.10008.1.2.4.203', // HTJ2K
  '1.2.840.10008.1.2.5', // RLE lossless
]);

export function isReceivableSyntax(uid: string): boolean {
  return COMPRESSED.has(uid) || UNCOMPRESSED.includes(uid);
}

/**
 * Storage SOP classes: the standard's storage classes live under 1.2.840.10008.5.1.4.1.1
 * (images, SR, PDF, RT, waveforms…); a few others store objects too (e.g. hanging protocols,
 * colour palettes under 1.2.840.10008.5.1.4.38/39/43/44/45).
 */
export function isStorageClass(uid: string): boolean {
  return /^1\.2\.840\.10008\.5\.1\.4\.1\.1\.\d[\d.]*$/.test(uid) || /^1\.2\.840\.10008\.5\.1\.4\.(38|39|43|44|45)\.\d+$/.test(uid);
}

export type ContextDecision = { accept: string } | { reject: 'abstract' | 'transfer' };

/** What to answer to one proposed context: its abstract syntax and the syntaxes offered, in order. */
export function negotiate(abstractSyntax: string, offered: readonly string[]): ContextDecision {
  if (abstractSyntax === VERIFICATION) {
    const syntax = UNCOMPRESSED.slice(0, 2).find((ts) => offered.includes(ts));
    return syntax ? { accept: syntax } : { reject: 'transfer' };
  }
  if (!isStorageClass(abstractSyntax)) return { reject: 'abstract' };
  const compressed = offered.find((ts) => COMPRESSED.has(ts));
  if (compressed) return { accept: compressed };
  // Uncompressed: the proposer's first choice, usually the syntax its file is in.
  const plain = offered.find((ts) => UNCOMPRESSED.includes(ts));
  return plain ? { accept: plain } : { reject: 'transfer' };
}
