/**
 * `GET /recordings/{dispatch_id}/transcript` (Tapedeck extension): what was said in the call, as
 * timed turns, from the same TranscriptsService the player's panel reads.
 */
import type { FastifyInstance } from 'fastify';
import { DISPATCH_ID_PATTERN_TEXT, parseDispatchId } from '../../../shared/dispatch.ts';
import type { TranscriptsService } from '../transcripts/transcripts-service.ts';
import { patternMismatch } from './fastapi-validation.ts';

/** The route's path, for the server's "no such route" / "not with that method" table. */
export const TRANSCRIPT_PATH = /^\/recordings\/[^/]+\/transcript$/;

export function registerTranscriptRoutes(app: FastifyInstance, transcripts: TranscriptsService): void {
  app.get<{ Params: { dispatch_id: string } }>('/recordings/:dispatch_id/transcript', async (request) => {
    const dispatchId = request.params.dispatch_id;
    if (!parseDispatchId(dispatchId)) {
      throw patternMismatch('path', 'dispatch_id', DISPATCH_ID_PATTERN_TEXT, dispatchId);
    }
    return transcripts.ofDispatch(dispatchId);
  });
}
