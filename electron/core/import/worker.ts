// Entry of an import worker thread: reads files as the coordinator asks.
import { parentPort } from 'node:worker_threads';
import { readInstance, type ReadTask } from './readInstance';

parentPort?.on('message', (message: { id: number; task: ReadTask }) => {
  parentPort?.postMessage({ id: message.id, result: readInstance(message.task) });
});
