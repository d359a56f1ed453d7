// The C-STORE-RSP, encoded here: dcmjs-dimse builds each response through dcmjs's general
// data set writer and formats it for its log, half a millisecond per instance (an eighth of
// the receiver's CPU). A response is seven elements of group 0000 in implicit VR little endian
// (PS3.7 9.3.1.2) in one P-DATA-TF PDU (PS3.8 9.3.5).
import { text, uid } from '../dicom/part10';

export interface CStoreAnswer {
  /** The presentation context the request came on: the response goes back on it. */
  contextId: number;
  messageIdBeingRespondedTo: number;
  sopClassUid: string;
  sopInstanceUid: string;
  status: number;
  /** Error Comment (LO, at most 64 characters), for a warning or a failure. */
  comment?: string;
}

const C_STORE_RSP = 0x8001;
/** CommandDataSetType: no data set follows. */
const NO_DATA_SET = 0x0101;

export function cStoreResponsePdu(answer: CStoreAnswer): Buffer {
  const elements = [
    element(0x0002, uid(answer.sopClassUid)),
    element(0x0100, uint16(C_STORE_RSP)),
    element(0x0120, uint16(answer.messageIdBeingRespondedTo)),
    element(0x0800, uint16(NO_DATA_SET)),
    element(0x0900, uint16(answer.status)),
    ...(answer.comment ? [element(0x0902, text(printable(answer.comment).slice(0, 64)))] : []),
    element(0x1000, uid(answer.sopInstanceUid)),
  ];
  const body = Buffer.concat(elements);
  const command = Buffer.concat([element(0x0000, uint32(body.length)), body]);
  const pdu = Buffer.alloc(12);
  pdu[0] = 0x04; // P-DATA-TF
  pdu.writeUInt32BE(6 + command.length, 2); // one PDV item: its length field, then the item
  pdu.writeUInt32BE(2 + command.length, 6); // context ID, control header, the fragment
  pdu[10] = answer.contextId;
  pdu[11] = 0x03; // a command, its last fragment
  return Buffer.concat([pdu, command]);
}

function element(elementNumber: number, value: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0x0000, 0);
  header.writeUInt16LE(elementNumber, 2);
  header.writeUInt32LE(value.length, 4);
  return Buffer.concat([header, value]);
}

function uint16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value);
  return b;
}

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

/** LO is the default repertoire without backslash or control characters. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]|\\/g, '?');
}
