// Secrets: a full session in a real Node-RED (authorize, several nodes, refreshes with rotation, errors, a
// Deploy), then every place a secret could surface is searched for every client secret, store key,
// authorization code, access token and refresh token the simulator issued: the Node-RED log, every message the
// nodes emitted and every msg.error (through debug nodes, as the editor's sidebar receives them), every node
// status, the flow export (GET /flows), the files in the user directory (flows, the credentials file, which
// credentialSecret encrypts, and the token store). None may appear in clear.
import assert from 'node:assert/strict';
import { RedSession, SESSION_ACCOUNT, SESSION_CLIENT_ID, SESSION_CLIENT_SECRET } from '../support/red-session';
import { CRASH_PATTERNS } from '../support/process-watch';
import type { Simulator } from '../simulator';

const ACTIONS = ['get', 'recent', 'add', 'forbidden', 'profile'];

function flows(sim: Simulator): Record<string, unknown>[] {
  const me = sim.state.me.id;
  const own = sim.state.playlists.find((p) => p.owner.id === me);
  const foreign = sim.state.playlists.find((p) => p.owner.id !== me && !p.collaborative);
  const tracks = [0, 1, 2].map((i) => sim.state.catalog.track(i).uri);
  const inject = (id: string, target: string, props: Record<string, unknown>[] = [], payload = '', payloadType = 'date') => ({
    id: `i-${id}`,
    type: 'inject',
    props: [{ p: 'payload' }, ...props],
    payload,
    payloadType,
    repeat: '',
    once: false,
    wires: [[target]],
  });
  // Whole messages, to the sidebar and to the log: nothing a user could see is left out.
  const debug = (id: string) => ({
    id,
    type: 'debug',
    active: true,
    tosidebar: true,
    console: true,
    tostatus: false,
    complete: 'true',
    targetType: 'full',
    wires: [],
  });
  return [
    inject('get', 'get'),
    { id: 'get', type: 'spotify-get-playlists', account: SESSION_ACCOUNT, limit: '5', limitType: 'num', wires: [['d-out']] },
    inject('recent', 'recent'),
    { id: 'recent', type: 'spotify-recently-played', account: SESSION_ACCOUNT, wires: [['d-out']] },
    inject('add', 'add', [{ p: 'playlist', v: own?.id, vt: 'str' }], JSON.stringify(tracks), 'json'),
    { id: 'add', type: 'spotify-add-tracks', account: SESSION_ACCOUNT, wires: [['d-out']] },
    inject('forbidden', 'forbidden', [{ p: 'playlist', v: foreign?.id, vt: 'str' }], JSON.stringify(tracks), 'json'),
    { id: 'forbidden', type: 'spotify-add-tracks', account: SESSION_ACCOUNT, wires: [['d-out']] },
    inject('profile', 'profile'),
    { id: 'profile', type: 'spotify-my-profile', account: SESSION_ACCOUNT, wires: [['d-out']] },
    debug('d-out'),
    { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['d-err']] },
    debug('d-err'),
    { id: 'status', type: 'status', scope: null, wires: [['d-status']] },
    debug('d-status'),
  ];
}

describe('secrets', function () {
  this.timeout(120_000);
  let s: RedSession;
  after(async function () {
    await s?.stop();
  });

  it('a full session leaves no secret, token or code in clear anywhere', async function () {
    s = await RedSession.start({
      flows,
      simulator: { rotateRefreshTokens: true },
      settings: {
        credentialSecret: 'a credential secret for this test',
        debugMaxLength: 10_000_000, // debug must not truncate anything a scan has to see
        logging: { console: { level: 'trace', metrics: false, audit: true } },
      },
    });
    await s.listen();
    const callback = await s.authorize();
    assert.equal(callback.callbackStatus, 200);
    const hasProfile = (await s.call('GET', '/nodes')).text.includes('spotify-my-profile');

    let outs = 0;
    let errs = 0;
    const press = async (id: string, expect: 'out' | 'err'): Promise<void> => {
      await s.inject(`i-${id}`);
      if (expect === 'out') await s.waitForDebug('d-out', ++outs);
      else await s.waitForDebug('d-err', ++errs);
    };
    await press('get', 'out');
    await press('recent', 'out');
    await press('add', 'out');
    if (hasProfile) await press('profile', 'out');
    await press('forbidden', 'err'); // a 403
    s.sim.expireAccessTokens();
    await press('get', 'out'); // 401 → refresh with rotation
    s.sim.setTokenEndpointDown(true);
    s.sim.expireAccessTokens();
    await press('recent', 'err'); // the refresh fails
    s.sim.setTokenEndpointDown(false);
    await press('recent', 'out'); // another rotation
    s.sim.addFault({ path: /^\/v1\/me\/playlists$/, reset: true });
    await press('get', 'err'); // a network error
    s.sim.clearFaults();
    await s.deploy(); // the user deploys: the credentials file is written again, encrypted
    await new Promise((r) => setTimeout(r, 500));
    s.sim.expireAccessTokens();
    await press('add', 'out'); // after the deploy: refresh, rotation, a write
    await new Promise((r) => setTimeout(r, 300)); // the last status updates

    const issued = s.sim.issuedSecrets();
    const rotations = s.sim.requests.filter((r) => r.path === '/api/token' && r.status === 200).length - 1;
    assert.ok(
      issued.codes.length >= 1 && issued.accessTokens.length >= 4 && issued.refreshTokens.length >= 4,
      'the session used several tokens',
    );
    assert.ok(rotations >= 3, `${rotations} refreshes with rotation`);
    const secrets: [string, string][] = [
      ['client secret', SESSION_CLIENT_SECRET],
      ['client id:secret (Basic)', Buffer.from(`${SESSION_CLIENT_ID}:${SESSION_CLIENT_SECRET}`).toString('base64')],
      ['token store key', s.storeKey],
      ...issued.codes.map((c, i): [string, string] => [`authorization code ${i}`, c]),
      ...issued.accessTokens.map((t, i): [string, string] => [`access token ${i}`, t]),
      ...issued.refreshTokens.map((t, i): [string, string] => [`refresh token ${i}`, t]),
    ];

    const flowsExport = await s.call('GET', '/flows');
    assert.equal(flowsExport.status, 200);
    const files = s.userFiles();
    assert.match(files['flows_cred.json'] ?? '', /^\{\s*"\$":\s*"[0-9a-f]{32}/, 'the credentials file is encrypted (credentialSecret)');
    assert.ok(files['tunewire-tokens.json'], 'the token store was written');
    const statuses = s.comms.filter((e) => e.topic.startsWith('status/'));
    const sources: Record<string, string> = {
      'Node-RED log': s.red.log,
      'editor websocket (debug sidebar, node statuses)': s.commsRaw.join('\n'),
      'GET /flows': flowsExport.text,
      ...Object.fromEntries(
        Object.entries(files)
          .filter(([name]) => name !== 'settings.js')
          .map(([name, text]) => [`file ${name}`, text]),
      ),
    };

    const found: string[] = [];
    for (const [source, text] of Object.entries(sources)) {
      for (const [what, secret] of secrets) {
        // The whole value, or a 24-character piece of it (a truncated copy is still a leak).
        const pieces = secret.length > 24 ? [secret, secret.slice(0, 24), secret.slice(-24)] : [secret];
        if (pieces.some((p) => text.includes(p))) found.push(`${what} in ${source}`);
      }
    }
    assert.deepEqual(found, []);
    const scanned = Object.values(sources).reduce((n, t) => n + t.length, 0);
    console.log(
      `      secrets: ${JSON.stringify({ secrets: secrets.length, codes: issued.codes.length, accessTokens: issued.accessTokens.length, refreshTokens: issued.refreshTokens.length, rotations, sources: Object.keys(sources).length, scannedKb: Math.round(scanned / 1024), debugMessages: s.debug('d-out').length + s.debug('d-err').length + s.debug('d-status').length, statusEvents: statuses.length, found: found.length })}`,
    );

    // The scan saw what it was meant to see.
    assert.equal(s.debug('d-out').length, outs);
    assert.equal(s.debug('d-err').length, errs);
    assert.ok(s.debug('d-status').length > 10 && statuses.length > 10, 'node statuses were captured');
    assert.ok(
      s.debug('d-err').some((d) => d.msg.includes('only change playlists you own')),
      'msg.error is in what was scanned',
    );
    assert.ok(s.red.log.includes('Started flows'), 'the log was captured');
    assert.ok(
      flowsExport.text.includes(SESSION_CLIENT_ID) && flowsExport.text.includes('spotify-account'),
      'the export holds the account node',
    );
    assert.doesNotMatch(s.red.log, CRASH_PATTERNS);
    for (const id of ACTIONS) assert.ok(flowsExport.text.includes(`"i-${id}"`));
  });
});

describe('secrets with DEBUG on', function () {
  this.timeout(120_000);
  let s: RedSession | undefined;
  after(async function () {
    await s?.stop();
  });

  it('DEBUG=simple-oauth2*,* prints no secret; only Express shows the spent code in the callback address', async function () {
    s = await RedSession.start({
      flows: () => [
        {
          id: 'i-get',
          type: 'inject',
          props: [{ p: 'payload' }],
          payload: '',
          payloadType: 'date',
          repeat: '',
          once: false,
          wires: [['get']],
        },
        { id: 'get', type: 'spotify-get-playlists', account: SESSION_ACCOUNT, limit: '2', limitType: 'num', wires: [['d-out']] },
        { id: 'd-out', type: 'debug', active: true, tosidebar: true, console: false, complete: 'true', targetType: 'full', wires: [] },
      ],
      simulator: { rotateRefreshTokens: true },
      env: { DEBUG: 'simple-oauth2*,*' },
    });
    await s.listen();
    assert.equal((await s.authorize()).callbackStatus, 200);
    s.sim.expireAccessTokens();
    await s.inject('i-get');
    await s.waitForDebug('d-out', 1); // refreshed (rotating the refresh token), then listed
    s.sim.expireAccessTokens();
    await s.inject('i-get');
    await s.waitForDebug('d-out', 2);

    const issued = s.sim.issuedSecrets();
    assert.equal(s.sim.requests.filter((r) => r.path === '/api/token' && r.status === 200).length, 3, 'one exchange, two refreshes');
    assert.ok(issued.verifiers.length === 1 && issued.refreshTokens.length === 3, 'the scan has the verifier and every refresh token');
    const secrets: [string, string][] = [
      ['client secret', SESSION_CLIENT_SECRET],
      ['client id:secret (Basic)', Buffer.from(`${SESSION_CLIENT_ID}:${SESSION_CLIENT_SECRET}`).toString('base64')],
      ['token store key', s.storeKey],
      ...issued.verifiers.map((v, i): [string, string] => [`PKCE verifier ${i}`, v]),
      ...issued.refreshTokens.map((t, i): [string, string] => [`refresh token ${i}`, t]),
      ...issued.accessTokens.map((t, i): [string, string] => [`access token ${i}`, t]),
    ];
    const log = s.red.log;
    const seen = (text: string, secret: string): boolean => text.includes(secret) || text.includes(secret.slice(0, 24));
    const found = secrets.filter(([, secret]) => seen(log, secret)).map(([what]) => what);
    // Express (Node-RED's web server, not this pack) prints every request's address under DEBUG=express:*, the
    // callback's ?code= included: README says so. Any other line with the code would be a leak of the pack's.
    const codeLines = log.split('\n').filter((line) => issued.codes.some((c) => seen(line, c)));
    const elsewhere = codeLines.filter((line) => !/ express:router .*\/tunewire\/callback\?code=/.test(line));
    console.log(
      `      DEBUG output: ${Math.round(log.length / 1024)} KB, ${secrets.length} secrets found ${found.length} times; the code in ${codeLines.length} express:router lines, ${elsewhere.length} others`,
    );
    assert.match(log, /express:router/, 'DEBUG=* was in effect: other libraries printed their debug lines');
    assert.deepEqual(found, []);
    assert.deepEqual(elsewhere, []);
  });
});
