// Bad input: thousands of malformed messages (wrong types, huge arrays, invalid IDs and links, unicode,
// __proto__/constructor keys, NaN/Infinity, deep nesting, very long strings) to every node type the package
// declares — read at test time, so node types added later are covered. Each message must end exactly once (a
// trigger: complete once), in a result or in an error that names a field (or Spotify's own answer); Node-RED
// keeps running, nothing pollutes Object.prototype, and memory stays flat. Seeded: a failure replays.
import assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { NodeMessage } from 'node-red';
import { createEnv, helper, ACCOUNT_ID, type FlowNode, type TestEnv } from '../support/env';
import { Fuzzer } from '../support/fuzz-values';
import { packNodeTypes, type NodeTypeInfo } from '../support/node-types';
import { watchProcess, type ProcessWatch } from '../support/process-watch';
import { PACK_SCOPES } from '../../nodes/spotify/scopes';

const SEED = Number(process.env.TUNEWIRE_FUZZ_SEED ?? 20261125);
const ROUNDS = Number(process.env.TUNEWIRE_FUZZ_ROUNDS ?? 10);
const PER_TYPE_PER_ROUND = 16;
/** Rounds before memory is compared: code gets compiled, caches and pools fill. */
const WARMUP_ROUNDS = 3;

// A real gc() inside mocha without --expose-gc on the command line.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

type Ending = { kind: 'complete' | 'error'; msg: NodeMessage & { error?: { message: string }; spotify?: Record<string, unknown> } };

/** What an error tells the user: the field it names, or Spotify's own answer. Anything else is a defect. */
function classify(e: Ending['msg']): string {
  const message = e.error?.message ?? '';
  // A field is named by its dialog label ("At most", "Position (ms)") or a message property (msg.payload[3]); a
  // playlist by name that the user does not have names its field too.
  const field = /^InputError: ([^:]+): (?:expected |no playlist named |the playlist )/.exec(message);
  if (field) return `field ${field[1].replace(/\[\d+\]/g, '[i]')}`;
  const spotify = e.spotify as { status?: number; authorization?: string } | undefined;
  if (spotify?.status !== undefined && spotify.status >= 400 && spotify.status < 500) return `spotify ${spotify.status}`;
  if (spotify?.authorization === 'missing_scope') return 'missing scope';
  return `UNEXPECTED ${message.slice(0, 160)}`;
}

describe('bad input', function () {
  this.timeout(180_000);
  let env: TestEnv;
  let watch: ProcessWatch;
  before(async function () {
    watch = watchProcess();
    env = await createEnv({ data: { playlistSizes: [3, 0, 60] }, settings: { timeoutSeconds: 5, minPollSeconds: 3600 } });
    // The simulator runs in this process: its search indexes (tens of thousands of names, built on the first
    // search of each type) would count as the pack's memory in whichever round first searches that type.
    env.sim.buildSearchIndexes();
  });
  after(async function () {
    await env?.close();
    watch.stop();
  });

  it('every node type: thousands of malformed messages, each ends once with a result or an error naming a field; memory stays flat', async function () {
    const types = packNodeTypes().filter((t) => !t.isConfig);
    const flow: FlowNode[] = [env.accountNode({ scopes: PACK_SCOPES.join(' ') })];
    const props = new Map<string, string[]>();
    for (const t of types) {
      const id = nodeId(t);
      const node: FlowNode = {
        ...t.defaults,
        id,
        type: t.type,
        account: ACCOUNT_ID,
        wires: [Array.from({ length: Math.max(1, t.outputs) }, () => 'out')].flat().map((w) => [w]),
      };
      // Every typed input reads a message property the fuzzer fills.
      for (const p of t.typedInputs) {
        node[p] = `f_${p}`;
        node[`${p}Type`] = 'msg';
      }
      props.set(
        id,
        t.typedInputs.map((p) => `f_${p}`),
      );
      flow.push(node);
    }
    const ids = types.map(nodeId);
    const triggers = new Set(types.filter((t) => t.isTrigger).map(nodeId));
    flow.push(
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: ids, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
      { id: 'completer', type: 'complete', scope: ids, wires: [['completed']] },
      { id: 'completed', type: 'helper' },
    );
    await env.load(flow);
    await env.authorize({ scopes: [...PACK_SCOPES] });

    const s = env.sim.state;
    const fuzz = new Fuzzer(SEED, {
      trackUris: Array.from({ length: 20 }, (_, i) => s.catalog.track(i * 7).uri),
      playlistIds: s.playlists.filter((p) => p.owner.id === s.me.id).map((p) => p.id),
      albumUris: Array.from({ length: 5 }, (_, i) => s.catalog.album(i).uri),
      artistIds: Array.from({ length: 5 }, (_, i) => s.catalog.artist(i).id),
    });

    const endings = new Map<string, Ending[]>();
    const record = (kind: Ending['kind']) => (msg: NodeMessage) => {
      const id = String(msg._msgid);
      if (!id.startsWith('fz-')) return; // a trigger's own poll
      const list = endings.get(id) ?? [];
      list.push({ kind, msg });
      endings.set(id, list);
    };
    env.node('caught').on('input', record('error'));
    env.node('completed').on('input', record('complete'));

    const outcomes = new Map<string, number>();
    const unexpected: string[] = [];
    const heap: number[] = [];
    let sent = 0;
    const started = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      const batch: { id: string; node: string }[] = [];
      for (const id of ids) {
        for (let k = 0; k < PER_TYPE_PER_ROUND; k++) {
          const msgId = `fz-${round}-${id}-${k}`;
          env.node(id).receive(message(fuzz, msgId, props.get(id) ?? []));
          batch.push({ id: msgId, node: id });
          sent++;
        }
      }
      await waitFor(
        () => batch.every((b) => endings.has(b.id)),
        60_000,
        () =>
          batch
            .filter((b) => !endings.has(b.id))
            .slice(0, 10)
            .map((b) => b.id)
            .join(', '),
      );
      await new Promise((r) => setTimeout(r, 100)); // a second ending would arrive by now
      for (const b of batch) {
        const list = endings.get(b.id) ?? [];
        if (triggers.has(b.node)) {
          // A trigger finishes every request (done() once) and reports what its poll met to Catch nodes with the
          // message that asked, so one message may also carry errors of a poll it shared with others.
          if (list.filter((e) => e.kind === 'complete').length !== 1)
            unexpected.push(`${b.id} completed ${list.filter((e) => e.kind === 'complete').length} times`);
        } else if (list.length !== 1) unexpected.push(`${b.id} ended ${list.length} times`);
        for (const e of triggers.has(b.node) ? list : list.slice(0, 1)) {
          const kind = e.kind === 'complete' ? 'result' : classify(e.msg);
          if (kind.startsWith('UNEXPECTED')) unexpected.push(`${b.node}: ${kind}`);
          const key = `${b.node.replace(/^n-tunewire-/, '')} → ${kind}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        }
        endings.delete(b.id);
      }
      // What the test itself keeps must not count as the pack's memory: sinon's call history, the request log.
      (helper as unknown as { _sandbox: { resetHistory(): void } })._sandbox.resetHistory();
      env.sim.clearRequests();
      heap.push(heapAfterGc());
    }
    const seconds = (Date.now() - started) / 1000;

    assert.deepEqual(unexpected.slice(0, 20), [], `${unexpected.length} messages ended unexpectedly`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted');
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);

    // Still working: a plain request gets a plain answer.
    const before = endings.size;
    env.node(nodeId({ type: 'spotify-get-playlists' })).receive({ _msgid: 'fz-final', f_limit: 2 });
    await waitFor(
      () => endings.has('fz-final'),
      10_000,
      () => 'fz-final',
    );
    assert.equal(endings.get('fz-final')?.[0].kind, 'complete');
    assert.equal(endings.size, before + 1);

    // Flat: after the warm-up rounds, growth stays small (a leak of even 2 KB per message would exceed it).
    // The least of the last three rounds: a leak raises all of them, a passing spike (sockets, buffers) only one.
    const growthMb = (Math.min(...heap.slice(-3)) - heap[WARMUP_ROUNDS - 1]) / 2 ** 20;
    const summary = {
      seed: SEED,
      nodeTypes: ids.length,
      messages: sent,
      seconds,
      heapMb: heap.map((h) => Math.round(h / 2 ** 18) / 4),
      growthAfterWarmupMb: Math.round(growthMb * 100) / 100,
      results: [...outcomes].filter(([k]) => k.endsWith('→ result')).reduce((n, [, v]) => n + v, 0),
      fieldErrors: [...outcomes].filter(([k]) => k.includes('→ field')).reduce((n, [, v]) => n + v, 0),
      spotifyAnswers: [...outcomes].filter(([k]) => k.includes('→ spotify')).reduce((n, [, v]) => n + v, 0),
    };
    console.log(`      fuzz: ${JSON.stringify(summary)}`);
    if (process.env.TUNEWIRE_FUZZ_VERBOSE)
      console.log(
        [...outcomes]
          .sort()
          .map(([k, v]) => `        ${k}: ${v}`)
          .join('\n'),
      );
    assert.ok(ids.length >= 3 && sent >= 2000, 'thousands of messages over every node type');
    assert.ok(growthMb < 4, `heap grew ${growthMb.toFixed(1)} MB over ${ROUNDS - WARMUP_ROUNDS} rounds after warm-up`);
    assert.deepEqual(watch.problems, [], 'no unhandled rejection or uncaught exception');
  });

  it('a message Node-RED itself cannot clone: every node type logs an error, nothing is left unhandled, the node works on', async function () {
    // An object whose prototype is a Map (a function node can make one): Node-RED's cloneMessage throws when
    // it hands the message to a Catch or Complete node, i.e. inside done().
    const types = packNodeTypes().filter((t) => !t.isConfig);
    const ids = types.map(nodeId);
    await helper.unload();
    await env.load([
      env.accountNode({ scopes: PACK_SCOPES.join(' ') }),
      ...types.map((t): FlowNode => ({ ...t.defaults, id: nodeId(t), type: t.type, account: ACCOUNT_ID, wires: [['out']] })),
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: ids, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
      { id: 'completer', type: 'complete', scope: ids, wires: [['completed']] },
      { id: 'completed', type: 'helper' },
    ]);
    const logged = (): number =>
      (helper.log() as unknown as { args: [{ level: number }][] }).args.filter(([e]) => e && e.level === 20).length;
    const errorsBefore = logged();
    for (const id of ids) env.node(id).receive({ _msgid: `uc-${id}`, payload: 'x', odd: Object.setPrototypeOf({ a: 1 }, new Map()) });
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(watch.problems, [], 'no unhandled rejection');
    assert.ok(logged() > errorsBefore, 'the failure was logged');
    const ok = new Promise<NodeMessage>((resolve) =>
      env.node('completed').on('input', (m: NodeMessage) => m._msgid === 'uc-after' && resolve(m)),
    );
    env.node(nodeId({ type: 'spotify-get-playlists' })).receive({ _msgid: 'uc-after' });
    await ok;
  });

  it('the admin routes answer malformed bodies with 400 and the field, never 500', async function () {
    const fuzz = new Fuzzer(SEED + 1, { trackUris: ['x'], playlistIds: ['y'], albumUris: ['z'], artistIds: ['w'] });
    const fields = ['accountId', 'clientId', 'clientSecret', 'storeKey', 'scopes', 'redirectUri', 'url'];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const route = ['/tunewire/authorize', '/tunewire/authorize/complete', '/tunewire/clear', '/tunewire/status'][i % 4];
      const body: Record<string, unknown> = {};
      for (const f of fields) if (fuzz.chance(0.6)) body[f] = jsonSafe(fuzz.value());
      // Sometimes not an object at all (an array: the admin API's parser already refuses bare JSON values).
      const raw = JSON.stringify(fuzz.chance(0.1) ? [jsonSafe(fuzz.value())] : body);
      const res = await helper.request().post(route).set('content-type', 'application/json').send(raw);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      assert.ok(res.status === 200 || res.status === 400, `${route} answered ${res.status}: ${res.text.slice(0, 200)}`);
      // (A body that is not a JSON object at all is refused by the admin API's body parser, before the route.)
      if (res.status === 400 && /json/.test(String(res.headers['content-type'])))
        assert.match(
          String(res.body.error),
          /^(\w+: expected|This authorization is unknown|Authorization failed|The address has no authorization code|Access was declined|Spotify did not authorize)/,
          res.text.slice(0, 200),
        );
    }
    console.log(`      admin routes: ${JSON.stringify(Object.fromEntries(statuses))}`);
  });
});

function nodeId(t: Pick<NodeTypeInfo, 'type'>): string {
  return `n-${t.type}`;
}

/** One fuzzed message: every fuzzed property, the payload and topic, sometimes a hostile extra key. */
function message(fuzz: Fuzzer, id: string, props: string[]): NodeMessage {
  const msg: Record<string, unknown> = { _msgid: id };
  for (const p of [...props, 'payload', 'topic', 'playlist', 'name']) if (fuzz.chance(0.85)) msg[p] = fuzz.value();
  if (fuzz.chance(0.1))
    Object.assign(msg, JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}') as object);
  return msg;
}

/** A value as it would arrive over HTTP: JSON, with whatever JSON cannot carry dropped. */
function jsonSafe(value: unknown): unknown {
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    return text === undefined ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

async function waitFor(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not every message ended within ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
