// Versioned node configs in a real Node-RED process: a flow exported before the rename (tunewire-* type names,
// no version, fields that did not exist yet or had another shape) runs as today's nodes would, and the old
// names are hidden aliases of the same node sets. The table itself and each migration: migrations.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { legacyType, type MigratedNodeType } from '../../nodes/node-red/migrations';
import { RedSession, SESSION_ACCOUNT } from '../support/red-session';
import { PACKAGE_ROOT } from '../support/node-red-process';

const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  'node-red': { nodes: Record<string, string> };
};
const TYPES = Object.keys(pkg['node-red'].nodes).sort();

describe('versioned node configs: a flow exported before the rename, in a real Node-RED', function () {
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
    assert.deepEqual(out.skipped, { local: 0, unavailable: 0 }, 'no count of tracks already there: the option is off');
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
