/**
 * A worker thread of the import: reads one part of a metadata file into a staging file (see
 * stage-part.ts) and posts how it went.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stagePart, type StageWorkerData } from './stage-part.ts';

const outcome = await stagePart((workerData as StageWorkerData).task);
parentPort?.postMessage(outcome);
