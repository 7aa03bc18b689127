import type { Speaker } from './transcript.ts';

// The names transcripts and subtitles give the two sides of a contact-centre call. A voice agent's
// history says assistant/user; people's captions say Agent/Customer, Rep/Caller and the like.
const AGENT = /^(agent|assistant|rep|representative|operator|advisor|adviser|bot|ai|ivr|support)\b/i;
const CUSTOMER = /^(customer|caller|client|user|contact|consumer|member|patient)\b/i;

/** The lane a speaker's name belongs in; anything else (a person's name, `spk_0`) is `unknown`. */
export function speakerFromLabel(label: string | null | undefined): Speaker {
  if (!label) return 'unknown';
  const name = label.trim();
  if (AGENT.test(name)) return 'agent';
  if (CUSTOMER.test(name)) return 'customer';
  return 'unknown';
}
