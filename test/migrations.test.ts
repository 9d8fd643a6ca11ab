// Versioned node configs: a node saved by an older release (no version, an old tunewire-* type, fields that did
// not exist yet or had another shape) keeps working. Each migration of nodes/node-red/migrations.ts has a case
// here; the runtime's and the editor's interpreters of the one table must agree on every case; and a real
// Node-RED runs a flow exported before the rename as today's nodes would.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import {
  LEGACY_PREFIX,
  MIGRATIONS,
  currentVersion,
  legacyType,
  migrateConfig,
  migrationSettings,
  type MigratedNodeType,
  type Migration,
} from '../nodes/node-red/migrations';
import { RedSession, SESSION_ACCOUNT } from './support/red-session';
import { PACKAGE_ROOT } from './support/node-red-process';

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
  ...(
    [
      ['spotify-get-playlist', ['playlist']],
      ['spotify-playlist-tracks', ['playlist']],
      ['spotify-update-playlist', ['playlist']],
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

/** Runs editor/migrations.js as the editor does, with the table the runtime exports through settings. */
function editorMigrations(): { migrate(node: Record<string, unknown>): string } {
  const settings: Record<string, unknown> = {};
  const defs: Record<string, { defaults: Record<string, unknown> }> = {};
  for (const type of TYPES) {
    for (const [name, { value }] of Object.entries(migrationSettings(type as MigratedNodeType))) settings[name] = value;
    defs[type] = { defaults: {} };
  }
  const window: Record<string, unknown> = {};
  const RED = {
    settings,
    events: { on: (): void => undefined },
    nodes: { getType: (t: string) => defs[t], registerType: (t: string, d: { defaults: Record<string, unknown> }) => (defs[t] = d) },
  };
  const $ = { extend: (_deep: boolean, target: object, src: object): object => Object.assign(target, structuredClone(src)) };
  vm.runInNewContext(fs.readFileSync(path.join(PACKAGE_ROOT, 'editor', 'migrations.js'), 'utf8'), { window, RED, $ });
  const api = window.tunewireMigrations as { register(t: string): void; migrate(n: Record<string, unknown>): string };
  for (const type of TYPES) api.register(type);
  for (const type of TYPES) {
    assert.deepEqual(
      plain(defs[type]?.defaults.version),
      { value: currentVersion(type as MigratedNodeType) },
      `${type}: new nodes get the version`,
    );
    assert.ok(defs[legacyType(type as MigratedNodeType)], `${type}: its old name is known to the editor`);
  }
  return api;
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
  });

  describe('each migration (runtime, and the editor agrees)', function () {
    const editor = editorMigrations();
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

  describe('a flow exported before the rename, in a real Node-RED', function () {
    this.timeout(120_000);
    let s: RedSession;
    let playlistId = '';
    let knownTrack = '';
    const inject = (id: string, payload: unknown, to: string): Record<string, unknown> => ({
      id,
      type: 'inject',
      props: [{ p: 'payload' }],
      payload: JSON.stringify(payload),
      payloadType: 'json',
      repeat: '',
      once: false,
      wires: [[to]],
    });
    const debug = (id: string): Record<string, unknown> => ({
      id,
      type: 'debug',
      active: true,
      tosidebar: true,
      console: false,
      complete: 'payload',
      targetType: 'msg',
      wires: [],
    });

    before(async function () {
      s = await RedSession.start({
        account: { type: 'tunewire-account' },
        settings: { debugMaxLength: 1_000_000 },
        flows: (sim) => {
          const own = sim.state.playlists.find((p) => p.owner.id === sim.state.me.id && p.items.length > 0);
          if (!own) throw new Error('the simulator has no playlist of the user with tracks');
          playlistId = own.id;
          knownTrack = own.items[0]?.uri ?? '';
          // Exactly as the first releases saved them: old type names, no version, no later fields.
          return [
            inject('i-lists', '', 'lists'),
            {
              id: 'lists',
              type: 'tunewire-get-playlists',
              account: SESSION_ACCOUNT,
              limit: '',
              limitType: 'num',
              output: 'array',
              wires: [['d-lists']],
            },
            debug('d-lists'),
            inject('i-search', 'heart', 'search'),
            {
              id: 'search',
              type: 'tunewire-search',
              account: SESSION_ACCOUNT,
              query: 'payload',
              queryType: 'msg',
              types: 'track,album',
              market: '',
              marketType: 'str',
              limit: '5',
              limitType: 'num',
              output: 'array',
              wires: [['d-search']],
            },
            debug('d-search'),
            inject('i-add', [knownTrack], 'add'),
            {
              id: 'add',
              type: 'tunewire-add-tracks',
              account: SESSION_ACCOUNT,
              playlist: playlistId,
              playlistType: 'str',
              tracks: 'payload',
              tracksType: 'msg',
              position: '',
              positionType: 'num',
              wires: [['d-add']],
            },
            debug('d-add'),
            inject('i-get', '', 'get'),
            {
              id: 'get',
              type: 'spotify-get-playlist',
              account: SESSION_ACCOUNT,
              playlist: playlistId,
              playlistType: 'str',
              fields: '',
              fieldsType: 'str',
              market: '',
              marketType: 'str',
              wires: [['d-get']],
            },
            debug('d-get'),
            // One node of every other type under its old name, as the first releases saved it (only the
            // account set): each must start as today's node.
            ...TYPES.filter((t) => !['spotify-account', 'spotify-get-playlists', 'spotify-search', 'spotify-add-tracks'].includes(t)).map(
              (t) => ({ id: `old-${t}`, type: legacyType(t as MigratedNodeType), account: SESSION_ACCOUNT, wires: [] }),
            ),
          ];
        },
      });
      assert.equal((await s.authorize()).callbackStatus, 200, 'the old account node authorizes');
      await s.listen();
    });

    after(async function () {
      await s?.stop();
    });

    const payloadOf = async (inj: string, dbg: string): Promise<unknown> => {
      const before = s.debug(dbg).length;
      await s.inject(inj);
      const got = await s.waitForDebug(dbg, before + 1);
      return JSON.parse(got[before]?.msg ?? 'null');
    };

    it('runs the old type names as today’s nodes (the rename)', async function () {
      const lists = (await payloadOf('i-lists', 'd-lists')) as { id: string }[];
      assert.deepEqual(
        lists.map((p) => p.id),
        s.sim.state.library.playlists.filter((id): id is string => id !== null),
      );
    });

    it('starts a node of every old type name, with no error and no missing type', async function () {
      const sets = (await (await fetch(`${s.url}/nodes`, { headers: { accept: 'application/json' } })).json()) as { types: string[] }[];
      const known = new Set(sets.flatMap((st) => st.types));
      assert.deepEqual(
        TYPES.map((t) => legacyType(t as MigratedNodeType)).filter((t) => !known.has(t)),
        [],
      );
      assert.match(s.red.log, /Started flows/);
      assert.doesNotMatch(s.red.log, /Waiting for missing types/);
      // A node that failed to construct is logged under its stored type; a running one under today's (the
      // triggers poll at once and may report a scope this account lacks: that is a node at work).
      const failed = s.red.log.split('\n').filter((l) => /\[(error|warn)\] \[tunewire-|TypeError|ReferenceError/.test(l));
      assert.deepEqual(failed, [], 'no node failed to start');
    });

    it('search: the types stored as "track,album" search both', async function () {
      const result = (await payloadOf('i-search', 'd-search')) as Record<string, unknown[]>;
      assert.deepEqual(Object.keys(result).sort(), ['albums', 'tracks']);
      assert.ok(
        (result.tracks?.length ?? 0) > 0 && (result.albums?.length ?? 0) > 0,
        `results of both types: ${JSON.stringify(result).slice(0, 300)}`,
      );
    });

    it('add tracks: an older node adds every track, also one already there (as before the option existed)', async function () {
      const count = (uri: string): number => s.sim.state.playlist(playlistId)?.items.filter((e) => e.uri === uri).length ?? 0;
      const had = count(knownTrack);
      const out = (await payloadOf('i-add', 'd-add')) as Record<string, unknown>;
      assert.equal(out.added, 1);
      assert.ok(!('skipped' in out), 'no skip report: the option is off');
      assert.equal(count(knownTrack), had + 1);
    });

    it('a current type saved without a version (and without the picker name) works', async function () {
      const playlist = (await payloadOf('i-get', 'd-get')) as { id: string };
      assert.equal(playlist.id, playlistId);
    });

    it('keeps the flow as the user saved it, and the old names stay hidden aliases of the same node sets', async function () {
      const flows = (await s.call('GET', '/flows')).json as { type: string }[];
      assert.ok(
        flows.some((n) => n.type === 'tunewire-search'),
        'the runtime does not rewrite a saved flow',
      );
      const sets = (await (await fetch(`${s.url}/nodes`, { headers: { accept: 'application/json' } })).json()) as { types: string[] }[];
      for (const type of TYPES) {
        const set = sets.find((st) => st.types.includes(type));
        assert.ok(set?.types.includes(legacyType(type as MigratedNodeType)), `${type} and its old name are one node set`);
      }
    });
  });
});
