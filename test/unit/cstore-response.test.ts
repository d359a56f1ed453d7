import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cStoreResponsePdu } from '../../electron/core/network/cstoreResponse';
import { Dataset, requests, responses } from '../../electron/core/network/dimse';

const CT = '1.2.840.10008.5.1.4.1.1.2';

/** The command set dcmjs-dimse itself would send for this answer. */
function libraryCommand(messageId: number, sopInstanceUid: string, status: number, comment?: string): Buffer {
  const request = new requests.CStoreRequest(new Dataset({ SOPClassUID: CT, SOPInstanceUID: sopInstanceUid }, '1.2.840.10008.1.2.1'));
  request.setMessageId(messageId);
  const response = responses.CStoreResponse.fromRequest(request);
  response.setStatus(status);
  if (comment) response.setErrorComment(comment);
  return response.getCommandDataset().getDenaturalizedCommandDataset();
}

test('the C-STORE response is the command set dcmjs-dimse would send, in one P-DATA-TF PDU', () => {
  const cases: Array<[number, string, number, string | undefined]> = [
    [1, '1.2.3.4.5', 0x0000, undefined],
    [65535, '1.2.3.4.56', 0xb000, 'Kept as a conflict: same UID, other content'],
    [42, '2.25.1234567', 0xa700, 'Disk full'],
    [7, '1.2.3', 0xc000, 'odd'],
  ];
  for (const [messageId, uid, status, comment] of cases) {
    const pdu = cStoreResponsePdu({ contextId: 5, messageIdBeingRespondedTo: messageId, sopClassUid: CT, sopInstanceUid: uid, status, comment });
    const command = pdu.subarray(12);
    assert.deepEqual(command, libraryCommand(messageId, uid, status, comment), `${uid} ${status.toString(16)}`);
    assert.equal(pdu[0], 0x04, 'P-DATA-TF');
    assert.equal(pdu.readUInt32BE(2), pdu.length - 6, 'PDU length');
    assert.equal(pdu.readUInt32BE(6), command.length + 2, 'PDV item length');
    assert.equal(pdu[10], 5, 'the request’s presentation context');
    assert.equal(pdu[11], 0x03, 'a command, last fragment');
  }
});

test('an error comment is cut to 64 characters of the default repertoire', () => {
  const pdu = cStoreResponsePdu({ contextId: 1, messageIdBeingRespondedTo: 1, sopClassUid: CT, sopInstanceUid: '1.2', status: 0xc000, comment: `é\\${'x'.repeat(80)}` });
  const text = pdu.toString('latin1');
  assert.ok(text.includes(`??${'x'.repeat(62)}`));
  assert.ok(!text.includes('x'.repeat(63)));
});
