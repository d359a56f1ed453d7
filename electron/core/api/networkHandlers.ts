// Handlers of the DICOM network node: the receiver's status, DICOM nodes (managed by admins,
// tested with C-ECHO) and send jobs. Node changes are audited as security configuration.
import type { ReceiverStatus } from '../../../shared/network';
import type { Principal } from '../auth/access';
import { actorOf, studyScope } from '../auth/actor';
import type { AuditTrail } from '../audit/types';
import { NoctisError } from '../errors';
import type { Sender } from '../network/sender';
import type { Catalog } from '../store/catalog';
import type { Nodes, SendHistory } from '../store/network';
import type { HandlerTable } from './handlers';

export interface NetworkServices {
  catalog: Catalog;
  nodes: Nodes;
  sender: Sender;
  sendHistory: SendHistory;
  audit: AuditTrail;
  receiverStatus: () => ReceiverStatus;
}

type NetworkChannel = Extract<keyof HandlerTable, 'receiver.status' | `nodes.${string}` | `send.${string}`>;

export function createNetworkHandlers(services: NetworkServices): Pick<HandlerTable, NetworkChannel> {
  const { catalog, nodes, sender, sendHistory, audit } = services;

  const nodeChanged = (principal: Principal, description: string) =>
    audit.append({ ...actorOf(principal), code: '110113', typeCode: '110129', action: 'U', outcome: 0, description });

  /** The instances of a study the caller may see (another facility's study is "not found"). */
  const sendable = (principal: Principal, studyInstanceUid: string, seriesInstanceUid: string | null) => {
    const scope = studyScope(principal);
    if (scope && catalog.studyFacility(studyInstanceUid) !== scope.facilityId) throw new NoctisError('STUDY_NOT_FOUND', { studyInstanceUid });
    return catalog.sendable(studyInstanceUid, seriesInstanceUid);
  };

  return {
    'receiver.status': () => services.receiverStatus(),
    'nodes.list': () => nodes.list(),
    'nodes.create': ({ aeTitle, host, port, description = '' }, _ctx, principal) => {
      const node = nodes.create({ aeTitle, host, port, description });
      nodeChanged(principal, `DICOM node added: ${aeTitle}@${host}:${port}`);
      return node;
    },
    'nodes.update': ({ nodeId, ...change }, _ctx, principal) => {
      const node = nodes.update(nodeId, change);
      nodeChanged(principal, `DICOM node changed: ${node.aeTitle}@${node.host}:${node.port}`);
      return node;
    },
    'nodes.delete': ({ nodeId }, _ctx, principal) => {
      const node = nodes.remove(nodeId);
      nodeChanged(principal, `DICOM node removed: ${node.aeTitle}@${node.host}:${node.port}`);
      return node;
    },
    'nodes.echo': (target) => sender.echo('nodeId' in target ? nodes.get(target.nodeId) : target),
    'send.start': async ({ studyInstanceUid, seriesInstanceUid, nodeId }, _ctx, principal) => {
      const destination = nodes.get(nodeId);
      const instances = sendable(principal, studyInstanceUid, seriesInstanceUid ?? null);
      const jobId = await sender.start({ studyInstanceUid, seriesInstanceUid, destination, instances, actor: actorOf(principal) });
      return { jobId };
    },
    'send.cancel': ({ jobId }) => ({ cancelled: sender.cancel(jobId) }),
    'send.retry': async ({ jobId }, _ctx, principal) => {
      const previous = sendHistory.get(jobId);
      const failed = new Set(previous.failures.map((f) => f.sopInstanceUid));
      const instances = sendable(principal, previous.studyInstanceUid, previous.seriesInstanceUid).filter((i) => failed.has(i.sopInstanceUid));
      const retry = await sender.start({
        studyInstanceUid: previous.studyInstanceUid,
        seriesInstanceUid: previous.seriesInstanceUid,
        destination: previous.destination,
        instances,
        actor: actorOf(principal),
        retryOf: jobId,
      });
      return { jobId: retry };
    },
    'send.list': ({ limit = 50 }) => sendHistory.list(limit),
    'send.get': ({ jobId }) => sendHistory.get(jobId),
  };
}
