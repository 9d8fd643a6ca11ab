// Versioned node configs: every node carries a `version`; a node saved by an older release (no version: 0) is
// brought up to date when the runtime constructs it and when the editor adds it (load, import, paste). One
// table and one interpreter, importing nothing: the runtime applies them through register-node.ts, and the
// editor bundle (editor/migrations.ts) imports this very file, so both migrate alike by construction.
//
// Rules for a new entry: never change a released entry; a new field gets the value that keeps what older flows
// did (not necessarily the dialog default for new nodes); each entry has its own test (test/unit/migrations.test.ts).

/** One change to a stored node, applied in order. */
export type MigrationStep =
  /** A field added in this version: older nodes get `value` (what they did before the field existed). */
  | { add: string; value: string | number | boolean }
  /** A field renamed in this version (its value kept). */
  | { rename: string; to: string }
  /** A field that was a comma-separated string and became an array of trimmed, non-empty strings. */
  | { split: string };

export interface Migration {
  /** The version this migration brings a node to. */
  version: number;
  steps: readonly MigrationStep[];
}

/** The node types of the first releases, renamed `spotify-*` in version 1 (they keep working as hidden aliases). */
export const LEGACY_PREFIX = 'tunewire-';
const CURRENT_PREFIX = 'spotify-';

/** The version every node type reached with the rename (the first versioned release). */
const RENAMED: Migration = { version: 1, steps: [] };

/** Version 1: the picker fields keep a display name beside the id; older nodes have none. */
const names = (...fields: string[]): Migration => ({ version: 1, steps: fields.map((f) => ({ add: `${f}Name`, value: '' })) });

/** Version 2: what a write does with local files and unavailable entries. Older nodes refused the message. */
const REFUSE_UNWRITABLE: Migration = { version: 2, steps: [{ add: 'unwritable', value: 'refuse' }] };
/** Version 2: list items as Spotify's objects or as rows for a table. Older nodes sent the objects. */
const OBJECTS: Migration = { version: 2, steps: [{ add: 'format', value: 'objects' }] };
/** Version 2: a trigger's new items one message each or the latest N as one list, objects or rows. Older nodes
 *  sent one message per item, as objects (and the Latest field gets its default, so it is never blank). */
const EACH_ITEM: Migration = {
  version: 2,
  steps: [
    { add: 'emit', value: 'each' },
    { add: 'latest', value: '10' },
    { add: 'format', value: 'objects' },
  ],
};

/** Version 3: where a listing starts (Offset). Older nodes read from the first entry. */
const FROM_START: MigrationStep[] = [
  { add: 'offset', value: '' },
  { add: 'offsetType', value: 'num' },
];
const FROM_FIRST: Migration = { version: 3, steps: FROM_START };

export const MIGRATIONS = {
  'spotify-account': [RENAMED],
  'spotify-get-playlists': [RENAMED, OBJECTS, FROM_FIRST],
  'spotify-add-tracks': [
    {
      version: 1,
      steps: [
        { add: 'playlistName', value: '' },
        { add: 'skipExisting', value: false },
      ],
    },
    REFUSE_UNWRITABLE,
  ],
  'spotify-recently-played': [RENAMED, OBJECTS],
  'spotify-saved-items': [RENAMED, OBJECTS, FROM_FIRST],
  // Version 1: Order (several batches at a time when "any"); older nodes kept the order.
  'spotify-save-to-library': [{ version: 1, steps: [{ add: 'order', value: 'kept' }] }, REFUSE_UNWRITABLE],
  'spotify-remove-from-library': [{ version: 1, steps: [{ add: 'order', value: 'kept' }] }, REFUSE_UNWRITABLE],
  'spotify-check-library': [RENAMED],
  'spotify-followed-artists': [RENAMED, OBJECTS],
  'spotify-my-profile': [RENAMED],
  'spotify-top-items': [RENAMED, OBJECTS, FROM_FIRST],
  'spotify-get-playlist': [names('playlist')],
  // Version 3 also: the fields of each entry (Fields); older nodes kept what the pack chose.
  'spotify-playlist-tracks': [
    names('playlist'),
    OBJECTS,
    {
      version: 3,
      steps: [...FROM_START, { add: 'fields', value: '' }, { add: 'fieldsType', value: 'str' }],
    },
  ],
  'spotify-create-playlist': [RENAMED],
  // Version 1: the new-name field was stored as `playlistName`, the name the playlist picker's display name needs.
  'spotify-update-playlist': [
    {
      version: 1,
      steps: [
        { rename: 'playlistName', to: 'newName' },
        { rename: 'playlistNameType', to: 'newNameType' },
        { add: 'playlistName', value: '' },
      ],
    },
  ],
  'spotify-remove-tracks': [names('playlist')],
  // Version 3: the playlist version the replace is meant for (Snapshot ID); older nodes replaced any version.
  'spotify-replace-tracks': [
    names('playlist'),
    REFUSE_UNWRITABLE,
    {
      version: 3,
      steps: [
        { add: 'snapshot', value: '' },
        { add: 'snapshotType', value: 'str' },
      ],
    },
  ],
  'spotify-reorder-tracks': [names('playlist')],
  'spotify-playlist-cover': [names('playlist')],
  // Version 2: the market items are relinked for (Market); older nodes left it to Spotify.
  'spotify-playback-state': [
    RENAMED,
    {
      version: 2,
      steps: [
        { add: 'market', value: '' },
        { add: 'marketType', value: 'str' },
      ],
    },
  ],
  'spotify-play': [names('play', 'device')],
  'spotify-player-control': [names('device')],
  'spotify-add-to-queue': [names('items', 'device'), REFUSE_UNWRITABLE],
  // The first search nodes stored the ticked types as "track,album".
  // Version 3 also: externally hosted episodes (Include external audio); older nodes left them out.
  'spotify-search': [
    { version: 1, steps: [{ split: 'types' }] },
    OBJECTS,
    { version: 3, steps: [...FROM_START, { add: 'external', value: false }] },
  ],
  'spotify-get-item': [names('items')],
  // Version 3 also: an artist's albums of some groups only (Album groups); older nodes listed every group.
  'spotify-item-contents': [
    names('item'),
    OBJECTS,
    {
      version: 3,
      steps: [...FROM_START, { add: 'groups', value: '' }, { add: 'groupsType', value: 'str' }],
    },
  ],
  'spotify-request': [RENAMED],
  // Version 2: the market items are relinked for (Market); older nodes left it to Spotify.
  'spotify-now-playing': [RENAMED, { version: 2, steps: [{ add: 'market', value: '' }] }],
  'spotify-new-plays': [RENAMED, EACH_ITEM],
  'spotify-playlist-changed': [names('playlists')],
  'spotify-new-saved': [RENAMED, EACH_ITEM],
  // New in version 1; its hidden old name is registered like every type's, so the one rule holds for all.
  'spotify-ui-player': [RENAMED],
} as const satisfies Record<string, readonly Migration[]>;

export type MigratedNodeType = keyof typeof MIGRATIONS;

/** The version a node of this type is saved with now. */
export function currentVersion(type: MigratedNodeType): number {
  return Math.max(0, ...MIGRATIONS[type].map((m) => m.version));
}

/** The hidden alias an older release registered this type under. */
export function legacyType(type: MigratedNodeType): string {
  return LEGACY_PREFIX + type.slice(CURRENT_PREFIX.length);
}

/** A stored node's version: a missing or unreadable one is 0 (saved before versions existed). */
export function versionOf(config: { version?: unknown }): number {
  const v = Number(config.version);
  return Number.isInteger(v) && v > 0 ? v : 0;
}

/**
 * Brings a stored node config up to date, in place (Node-RED hands the constructor a private copy that also
 * carries hidden properties a new object would lose). Idempotent: a current node is left as it is.
 */
export function migrateConfig<T extends { type: string; version?: unknown }>(type: MigratedNodeType, config: T): T {
  migrateInPlace(type, config);
  return config;
}

/**
 * What migrating changed that must be saved again: 'renamed' (an old type name), 'changed' (a value the node
 * already had), or '' when nothing a user would notice changed (a new field filled in, the version).
 */
export type MigrationChange = '' | 'changed' | 'renamed';

/** migrateConfig, saying what changed: the editor marks such nodes changed, so that the next Deploy saves them. */
export function migrateInPlace(type: MigratedNodeType, config: { type: string; version?: unknown }): MigrationChange {
  const target = config as Record<string, unknown>;
  const from = versionOf(config);
  let change: MigrationChange = '';
  for (const migration of MIGRATIONS[type] as readonly Migration[]) {
    if (migration.version <= from) continue;
    for (const step of migration.steps) if (applyStep(target, step)) change = 'changed';
  }
  if (target.type !== type) change = 'renamed';
  target.type = type;
  target.version = Math.max(from, currentVersion(type));
  return change;
}

/** Applies one step; true when it changed a value the node already had (a new field only fills a gap). */
function applyStep(config: Record<string, unknown>, step: MigrationStep): boolean {
  if ('add' in step) {
    if (config[step.add] === undefined) config[step.add] = step.value;
    return false;
  }
  if ('rename' in step) {
    const had = config[step.rename] !== undefined;
    if (had && config[step.to] === undefined) config[step.to] = config[step.rename];
    delete config[step.rename];
    return had;
  }
  const value = config[step.split];
  if (typeof value !== 'string') return false;
  config[step.split] = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return true;
}
