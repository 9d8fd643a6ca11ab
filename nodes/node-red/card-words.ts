// The now-playing card's own words (buttons, messages), from the card node's catalog in the runtime's language:
// the runtime hands them to the card as part of its Dashboard 2 props (resources/spotify-ui-player.umd.js reads
// props.words, English until they come).
import { nodeTexts } from './messages';

const ownText = nodeTexts('spotify-ui-player');

/** Every word the card shows of its own (resources/spotify-ui-player.umd.js reads them from its props). */
export const CARD_WORDS = [
  'connecting',
  'noActiveDevice',
  'openSpotify',
  'nothingPlaying',
  'paused',
  'shuffle',
  'previous',
  'pause',
  'play',
  'next',
  'repeat',
  'volume',
  'playOnAnother',
  'noDevices',
  'lookingForDevices',
  'playOn',
  'closeDevices',
] as const;

/** The card's words from the node's catalog, in the runtime's language. */
export function cardWords(): Record<(typeof CARD_WORDS)[number], string> {
  return Object.fromEntries(CARD_WORDS.map((k) => [k, ownText(`card.${k}`)])) as Record<(typeof CARD_WORDS)[number], string>;
}
