// Versioned node configs: a node saved by an older release (no version, an old tunewire-* type, fields that did
// not exist yet or had another shape) keeps working. Each migration of nodes/node-red/migrations.ts has a case
// here. The editor's bundle imports the runtime's table and interpreter; every case also runs through the shipped
// bundle, to prove the editor migrates as the runtime does (a real Node-RED running an older flow:
// migrations-flow.test.ts; the editor in a browser: browser/migrations.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LEGACY_PREFIX,
  MIGRATIONS,
  currentVersion,
  legacyType,
  migrateConfig,
  type MigratedNodeType,
  type Migration,
  type MigrationStep,
} from '../../nodes/node-red/migrations';
import { FIELDS } from '../../nodes/node-red/fields';
import { FakeEditor } from '../support/editor-bundle';
import { listExamples } from '../support/examples';
import { PACKAGE_ROOT } from '../support/node-red-process';

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  'node-red': { nodes: Record<string, string> };
};
const TYPES = Object.keys(pkg['node-red'].nodes).sort();
const TABLE = MIGRATIONS as Record<MigratedNodeType, readonly Migration[]>;

interface Case {
  /** What the case shows. */
  title: string;
  type: MigratedNodeType;
  /** The migration (version) the case is for. */
  version: number;
  /** The node as an older release saved it. */
  old: Record<string, unknown>;
  /** Properties the migrated node must have (the others stay as they were). */
  expect: Record<string, unknown>;
}

/** Fields a playlist node of the first releases had (ids as users typed them, no display names). */
const playlistNode = { playlist: '3cEYpjA9oz9GiPac4AsH4n', playlistType: 'str' };

/** The same fields added to several node types by one version: one case per type. */
function fieldAdded(
  version: number,
  types: MigratedNodeType[],
  what: string,
  old: Record<string, unknown>,
  expect: Record<string, unknown>,
): Case[] {
  return types.map((type) => ({ title: `${type.slice(8)}: ${what}`, type, version, old, expect }));
}

const CASES: Case[] = [
  {
    title: 'add tracks: "Only tracks not already in the playlist" is off for older nodes (they added every track)',
    type: 'spotify-add-tracks',
    version: 1,
    old: { ...playlistNode, tracks: 'payload', tracksType: 'msg', position: '', positionType: 'num' },
    expect: { skipExisting: false, playlistName: '' },
  },
  {
    title: 'search: types saved as "track,album" become the list the dialog stores',
    type: 'spotify-search',
    version: 1,
    old: { query: 'payload', queryType: 'msg', types: 'track, album,', limit: '50', limitType: 'num', output: 'array' },
    expect: { types: ['track', 'album'] },
  },
  {
    title: "update playlist: the new-name field moves from playlistName (now the picked playlist's display name) to newName",
    type: 'spotify-update-playlist',
    version: 1,
    old: { ...playlistNode, playlistName: 'title', playlistNameType: 'msg', description: 'description', descriptionType: 'msg' },
    expect: { newName: 'title', newNameType: 'msg', playlistName: '', playlistNameType: undefined, description: 'description' },
  },
  ...(['spotify-save-to-library', 'spotify-remove-from-library'] as const).map((type): Case => ({
    title: `${type.slice(8)}: Order is "kept" for older nodes (they wrote their batches one after another, in order)`,
    type,
    version: 1,
    old: { items: 'payload', itemsType: 'msg' },
    expect: { order: 'kept' },
  })),
  ...fieldAdded(
    2,
    ['spotify-add-tracks', 'spotify-replace-tracks', 'spotify-add-to-queue', 'spotify-save-to-library', 'spotify-remove-from-library'],
    'older nodes refuse a message holding local files or unavailable items, as they did (new nodes skip them)',
    { items: 'payload', itemsType: 'msg' },
    { unwritable: 'refuse' },
  ),
  ...fieldAdded(
    2,
    [
      'spotify-get-playlists',
      'spotify-recently-played',
      'spotify-saved-items',
      'spotify-followed-artists',
      'spotify-top-items',
      'spotify-playlist-tracks',
      'spotify-search',
      'spotify-item-contents',
    ],
    "older nodes send Spotify's objects, as they did (not rows)",
    { output: 'array' },
    { format: 'objects' },
  ),
  ...fieldAdded(
    2,
    ['spotify-new-plays', 'spotify-new-saved'],
    'older triggers send one message per new item, as objects; Latest gets its default',
    { interval: '60', firstRun: 'remember' },
    { emit: 'each', latest: '10', format: 'objects' },
  ),
  ...fieldAdded(
    3,
    ['spotify-get-playlists', 'spotify-saved-items', 'spotify-top-items'],
    'older nodes read from the first entry (Offset empty)',
    { limit: '10', limitType: 'num' },
    { offset: '', offsetType: 'num' },
  ),
  {
    title: 'playlist tracks: older nodes read from the first entry and keep the fields the pack chose (Offset, Entry fields empty)',
    type: 'spotify-playlist-tracks',
    version: 3,
    old: { ...playlistNode, limit: '', limitType: 'num' },
    expect: { offset: '', offsetType: 'num', fields: '', fieldsType: 'str' },
  },
  {
    title: 'item contents: older nodes read from the first entry and list every album group of an artist',
    type: 'spotify-item-contents',
    version: 3,
    old: { item: 'payload', itemType: 'msg', containerType: 'artist' },
    expect: { offset: '', offsetType: 'num', groups: '', groupsType: 'str' },
  },
  {
    title: 'search: older nodes read from the first result and leave externally hosted audio unplayable, as they did',
    type: 'spotify-search',
    version: 3,
    old: { query: 'payload', queryType: 'msg', types: ['episode'] },
    expect: { offset: '', offsetType: 'num', external: false },
  },
  {
    title: 'replace tracks: older nodes replace whatever version the playlist is at (Snapshot ID empty)',
    type: 'spotify-replace-tracks',
    version: 3,
    old: { ...playlistNode, tracks: 'payload', tracksType: 'msg', unwritable: 'refuse' },
    expect: { snapshot: '', snapshotType: 'str' },
  },
  {
    title: 'playback state: older nodes send no market (Market empty)',
    type: 'spotify-playback-state',
    version: 2,
    old: { what: 'current' },
    expect: { market: '', marketType: 'str' },
  },
  {
    title: 'now playing: older triggers send no market (Market empty)',
    type: 'spotify-now-playing',
    version: 2,
    old: { interval: '15', firstRun: 'remember' },
    expect: { market: '' },
  },
  ...(
    [
      ['spotify-get-playlist', ['playlist']],
      ['spotify-playlist-tracks', ['playlist']],
      ['spotify-remove-tracks', ['playlist']],
      ['spotify-replace-tracks', ['playlist']],
      ['spotify-reorder-tracks', ['playlist']],
      ['spotify-playlist-cover', ['playlist']],
      ['spotify-play', ['play', 'device']],
      ['spotify-player-control', ['device']],
      ['spotify-add-to-queue', ['items', 'device']],
      ['spotify-get-item', ['items']],
      ['spotify-item-contents', ['item']],
      ['spotify-playlist-changed', ['playlists']],
    ] as [MigratedNodeType, string[]][]
  ).map(([type, fields]): Case => ({
    title: `${type.slice(8)}: the picker's display name (${fields.map((f) => `${f}Name`).join(', ')}) starts empty`,
    type,
    version: 1,
    old: Object.fromEntries(
      fields.flatMap((f) => [
        [f, `id-of-${f}`],
        [`${f}Type`, 'str'],
      ]),
    ),
    expect: Object.fromEntries(fields.map((f) => [`${f}Name`, ''])),
  })),
];

/** A value made in the editor's script context, as plain data of this one (objects of another context differ by prototype). */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

type EditorMigrations = { migrate(node: Record<string, unknown>): string };

/**
 * The shipped editor bundle, run as the editor runs it, with every node type of the package registered after it
 * (the editor plugin loads first at start-up) or before it (a pack installed from the palette may load its node
 * definitions first): either way each type gets its version and its old name.
 */
function editorMigrations(bundleFirst: boolean): EditorMigrations {
  const editor = new FakeEditor();
  if (bundleFirst) editor.loadBundle();
  for (const type of TYPES) editor.registerType(type, { defaults: {} });
  if (!bundleFirst) editor.loadBundle();
  for (const type of TYPES) {
    assert.deepEqual(
      plain(editor.defs.get(type)?.defaults.version),
      { value: currentVersion(type as MigratedNodeType) },
      `${type}: new nodes get the version`,
    );
    const alias = editor.defs.get(legacyType(type as MigratedNodeType));
    assert.ok(alias, `${type}: its old name is known to the editor`);
    assert.equal(alias.category, 'deprecated', `${type}: its old name is hidden from the palette`);
  }
  return editor.global<{ migrations: EditorMigrations }>('tunewire').migrations;
}

describe('versioned node configs', function () {
  describe('the table', function () {
    it('has every node type of package.json, each with a version of 1 or more', function () {
      assert.deepEqual(Object.keys(MIGRATIONS).sort(), TYPES);
      for (const type of TYPES) assert.ok(currentVersion(type as MigratedNodeType) >= 1, type);
    });

    it('numbers the migrations of each type in increasing order', function () {
      for (const [type, list] of Object.entries(TABLE)) {
        const versions = list.map((m) => m.version);
        assert.deepEqual(
          versions,
          [...new Set(versions)].sort((a, b) => a - b),
          type,
        );
      }
    });

    it('gives every type the old name it had before the rename, taken by no current type', function () {
      const legacy = TYPES.map((t) => legacyType(t as MigratedNodeType));
      assert.equal(new Set(legacy).size, TYPES.length);
      for (const old of legacy) {
        assert.ok(old.startsWith(LEGACY_PREFIX), old);
        assert.ok(!TYPES.includes(old), old);
      }
      assert.equal(legacyType('spotify-get-playlists'), 'tunewire-get-playlists');
    });

    it('has a case in this file for every migration that changes fields', function () {
      const missing = Object.entries(TABLE).flatMap(([type, list]) =>
        list
          .filter((m) => m.steps.length > 0 && !CASES.some((c) => c.type === type && c.version === m.version))
          .map((m) => `${type}@${m.version}`),
      );
      assert.deepEqual(missing, []);
    });

    it("the shipped examples set each field whose migrated value is not a new node's default (they carry no version)", function () {
      const examples = listExamples();
      assert.ok(examples.length > 0, 'the build holds the examples');
      // A field of the dialog's table (fields.ts): its default is what a node from the palette does.
      const newDefault = (type: string, field: string): unknown =>
        (FIELDS as Record<string, Record<string, { value: unknown }> | undefined>)[type]?.[field]?.value;
      const added = (step: MigrationStep): step is Extract<MigrationStep, { add: string }> => 'add' in step;
      const unset = examples.flatMap((ex) =>
        ex.nodes
          .filter((n): n is typeof n & { type: MigratedNodeType } => n.type in TABLE && n.version === undefined)
          .flatMap((n) =>
            TABLE[n.type]
              .flatMap((m) => m.steps)
              .filter(added)
              .filter(
                (step) => !(step.add in n) && newDefault(n.type, step.add) !== undefined && newDefault(n.type, step.add) !== step.value,
              )
              .map((step) => `${ex.name}: ${n.type} ${n.id} ${step.add}`),
          ),
      );
      assert.deepEqual(unset, []);
    });
  });

  describe('each migration (runtime, and the editor agrees)', function () {
    const editor = editorMigrations(true);

    it('registers versions and old names whichever loads first, the editor code or the node definitions', function () {
      editorMigrations(false);
    });

    for (const c of CASES) {
      it(c.title, function () {
        for (const stored of [
          { ...c.old, type: c.type },
          { ...c.old, type: legacyType(c.type) },
        ]) {
          const before = structuredClone(stored);
          const migrated: Record<string, unknown> = migrateConfig(c.type, structuredClone(stored));
          assert.equal(migrated.type, c.type);
          assert.equal(migrated.version, currentVersion(c.type));
          for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(migrated[k], v, `${stored.type}.${k}`);
          // What the migration does not touch stays as the user saved it.
          for (const [k, v] of Object.entries(before)) if (!(k in c.expect) && k !== 'type') assert.deepEqual(migrated[k], v, k);
          // Migrating twice changes nothing.
          assert.deepEqual(migrateConfig(c.type, structuredClone(migrated) as { type: string }), migrated);

          const inEditor = structuredClone(stored);
          editor.migrate(inEditor);
          assert.deepEqual(plain(inEditor), migrated, `the editor migrates ${stored.type} as the runtime does`);
        }
      });
    }

    it('leaves a node of the current version as it is, also fields a later release may add', function () {
      const current = { type: 'spotify-search', version: currentVersion('spotify-search'), types: 'track', future: 1 };
      assert.deepEqual(migrateConfig('spotify-search', structuredClone(current)), current);
      const inEditor = structuredClone(current);
      assert.equal(editor.migrate(inEditor), '', 'the editor has nothing to save');
      assert.deepEqual(plain(inEditor), current);
    });

    it('tells the editor which migrated nodes must be deployed again: renamed or changed, not merely filled in', function () {
      assert.equal(editor.migrate({ type: 'spotify-get-playlist', playlist: 'x' }), '', 'an empty display name added');
      assert.equal(editor.migrate({ type: 'spotify-search', types: 'track,album' }), 'changed');
      assert.equal(editor.migrate({ type: 'tunewire-my-profile' }), 'renamed');
    });
  });
});
