/**
 * Amazon Connect Contact Lens analysis output and Transcribe Call Analytics output: `Transcript[]`
 * of turns with `Content`, `BeginOffsetMillis`, `EndOffsetMillis` and `Sentiment`. The side is the
 * turn's `ParticipantRole` (Call Analytics) or its `ParticipantId` looked up in `Participants[]`
 * (Contact Lens). Redacted turns (`[PII]` in place of a name or a card number) are kept as they are:
 * what was redacted is not ours to guess.
 */
import { cleanText, isObject, millis, type JsonObject } from './json-value.ts';
import { isSentiment, TranscriptProblem, type Speaker, type TranscriptSegment } from './transcript.ts';

export function isContactLensOutput(json: JsonObject): boolean {
  return Array.isArray(json.Transcript);
}

export function readContactLensOutput(json: JsonObject): TranscriptSegment[] {
  const turns = json.Transcript as unknown[];
  if (turns.length === 0) throw new TranscriptProblem('Transcript is empty: the analysis found no speech');
  const roles = participantRoles(json.Participants);
  const segments = turns.flatMap((turn, index): TranscriptSegment[] => {
    if (!isObject(turn)) throw new TranscriptProblem(`Transcript[${index}] is not an object`);
    if (typeof turn.Content !== 'string') throw new TranscriptProblem(`Transcript[${index}] has no Content`);
    const text = cleanText(turn.Content);
    const start = millis(turn.BeginOffsetMillis, `Transcript[${index}].BeginOffsetMillis`);
    const end = millis(turn.EndOffsetMillis, `Transcript[${index}].EndOffsetMillis`);
    if (end < start) {
      throw new TranscriptProblem(
        `Transcript[${index}] ends (${end} ms) before it begins (${start} ms): times out of order`,
      );
    }
    if (text === '') return [];
    const participant = typeof turn.ParticipantId === 'string' ? turn.ParticipantId : null;
    const role =
      typeof turn.ParticipantRole === 'string'
        ? turn.ParticipantRole
        : participant !== null
          ? (roles.get(participant) ?? participant)
          : null;
    return [
      {
        start_ms: start,
        end_ms: end,
        speaker: speakerOfRole(role),
        speaker_label: participant ?? role,
        text,
        ...(isSentiment(turn.Sentiment) ? { sentiment: turn.Sentiment } : {}),
      },
    ];
  });
  if (segments.length === 0) throw new TranscriptProblem('every turn of Transcript is empty');
  // Both sides' turns are listed by start already; overlapping talk may arrive a little apart.
  return segments.sort((a, b) => a.start_ms - b.start_ms);
}

function participantRoles(participants: unknown): Map<string, string> {
  const roles = new Map<string, string>();
  if (!Array.isArray(participants)) return roles;
  for (const participant of participants) {
    if (
      isObject(participant) &&
      typeof participant.ParticipantId === 'string' &&
      typeof participant.ParticipantRole === 'string'
    ) {
      roles.set(participant.ParticipantId, participant.ParticipantRole);
    }
  }
  return roles;
}

function speakerOfRole(role: string | null): Speaker {
  switch (role?.toUpperCase()) {
    case 'AGENT':
      return 'agent';
    case 'CUSTOMER':
      return 'customer';
    default:
      return 'unknown';
  }
}
