/**
 * A worker thread of the import: reads one part of a metadata file into a staging file (see
 * stage-part.ts) and posts how it went.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stagePart, type StageWorkerData } from './stage-part.ts';

// A promise chain, not a top-level await: the built commands are CommonJS (build/build-cli.ts).
void stagePart((workerData as StageWorkerData).task).then((outcome) => parentPort?.postMessage(outcome));
