// The now-playing card's own words (its buttons' labels, "Nothing playing" …): in the node's catalog
// (ui-player.json, under "card"), translated by the runtime and sent with the card's configuration, so a dashboard
// speaks the language of the Node-RED it runs on. The card's client code keeps the English as its fallback.
import { nodeTexts } from './messages';

/** The card's own words (ui-player.json, "card"), sent with its configuration in the runtime's language. */
export const CARD_WORDS = [
  'connecting',
  'noDevice',
  'noDeviceHint',
  'nothingPlaying',
  'paused',
  'shuffle',
  'previous',
  'pause',
  'play',
  'next',
  'repeat',
  'volume',
  'devices',
  'noDevices',
  'lookingForDevices',
  'playOn',
  'closeDevices',
] as const;

/** The card's words, each in the runtime's language (English when the catalog has no translation). */
export function cardWords(): Record<string, string> {
  return Object.fromEntries(CARD_WORDS.map((key) => [key, nodeTexts('spotify-ui-player')(`card.${key}`)]));
}
