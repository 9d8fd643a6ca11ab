// Word lists for generated names: readable enough to search for and to eyeball in a demo.

import type { Rng } from './prng';

const adjectives = [
  'Velvet',
  'Neon',
  'Silent',
  'Golden',
  'Electric',
  'Paper',
  'Crystal',
  'Midnight',
  'Broken',
  'Endless',
  'Wild',
  'Hollow',
  'Bright',
  'Faded',
  'Lucky',
  'Quiet',
  'Northern',
  'Burning',
  'Frozen',
  'Distant',
  'Little',
  'Secret',
  'Shining',
  'Restless',
  'Blue',
  'Crimson',
  'Silver',
  'Lonely',
  'Sweet',
  'Gentle',
];
const nouns = [
  'Horizon',
  'River',
  'Garden',
  'Echo',
  'Summer',
  'Highway',
  'Harbor',
  'Mirror',
  'Signal',
  'Machine',
  'Ocean',
  'Window',
  'Heart',
  'Satellite',
  'Forest',
  'Canyon',
  'Lantern',
  'Dream',
  'Thunder',
  'Morning',
  'Avenue',
  'Parade',
  'Island',
  'Fire',
  'Storm',
  'Motel',
  'Comet',
  'Valley',
  'Stranger',
  'Radio',
];
const firstNames = [
  'Maya',
  'Leo',
  'Ines',
  'Kofi',
  'Sasha',
  'Noah',
  'Aiko',
  'Ravi',
  'Elena',
  'Tom',
  'Zara',
  'Felix',
  'Nina',
  'Omar',
  'Lucia',
  'Jonas',
];
const lastNames = ['Reyes', 'Larsen', 'Okafor', 'Novak', 'Tanaka', 'Moreau', 'Singh', 'Brennan', 'Costa', 'Weber', 'Haddad', 'Lindqvist'];
const genres = ['indie pop', 'synthwave', 'jazz', 'folk', 'techno', 'hip hop', 'soul', 'ambient', 'rock', 'bossa nova', 'metal', 'house'];
const topics = [
  'city gardens',
  'old computers',
  'long walks',
  'space travel',
  'cooking at home',
  'learning languages',
  'tiny houses',
  'night trains',
];

export const words = {
  nouns,
  genres,
  title(rng: Rng): string {
    switch (rng.int(4)) {
      case 0:
        return `${rng.pick(adjectives)} ${rng.pick(nouns)}`;
      case 1:
        return `${rng.pick(nouns)} of the ${rng.pick(nouns)}`;
      case 2:
        return `The ${rng.pick(adjectives)} ${rng.pick(nouns)}`;
      default:
        return `${rng.pick(nouns)}s`;
    }
  },
  artistName(rng: Rng): string {
    switch (rng.int(3)) {
      case 0:
        return `The ${rng.pick(adjectives)} ${rng.pick(nouns)}s`;
      case 1:
        return `${rng.pick(firstNames)} ${rng.pick(lastNames)}`;
      default:
        return `${rng.pick(adjectives)} ${rng.pick(nouns)}`;
    }
  },
  personName(rng: Rng): string {
    return `${rng.pick(firstNames)} ${rng.pick(lastNames)}`;
  },
  showName(rng: Rng): string {
    return `The ${rng.pick(nouns)} Hour`;
  },
  topic(rng: Rng): string {
    return rng.pick(topics);
  },
};
