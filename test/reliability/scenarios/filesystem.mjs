// Scenario 4: filesystem hostility. A runtime dir or socket with a foreign owner (uid 65534:
// we run as root, so chmod cannot deny us) or loose mode, a read-only state dir, a full disk
// (a tiny tmpfs) and a corrupt journal. Invariants: each is refused with a clear error code
// within a bound, nothing answered is lost, and the relay never repairs or replaces anything
// on its own (a corrupt journal stays byte for byte as it was).
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditJournal } from '../lib/journal.mjs';
import { ms } from '../lib/table.mjs';
import { connect, createFixture, disposeFixture, relayLogTail, relayPid, stopRelay } from '../lib/fixture.mjs';

/** Runs `fn`, expecting a refusal; resolves to {code, ms} (code undefined when it succeeded). */
async function refusal(fn) {
  const t0 = performance.now();
  try {
    const client = await fn();
    client?.close?.();
    return { code: undefined, ms: performance.now() - t0 };
  } catch (error) {
    return {
      code: error?.code ?? `unstructured: ${String(error?.message ?? error).slice(0, 120)}`,
      ms: performance.now() - t0,
    };
  }
}

function mount(args) {
  return spawnSync('mount', args, { encoding: 'utf8' }).status === 0;
}
function umount(path) {
  spawnSync('umount', ['-l', path], { encoding: 'utf8' });
}

export async function runFilesystem() {
  const fixture = createFixture({ name: 'fs', sockets: ['alice', 'bob'] });
  const failures = [];
  const cases = [];
  const mounts = [];
  // Only the faults actually injected; a case that could not run is listed as SKIP instead.
  const injected = [];
  const skipped = [];
  let accepted = 0;
  let lost = 0;
  let duplicated = 0;
  let slowest = 0;
  const check = (label, result, expected) => {
    slowest = Math.max(slowest, result.ms);
    cases.push(`${label}: ${result.code ?? 'accepted'}`);
    if (!expected.includes(result.code)) failures.push(`${label}: expected ${expected.join('|')}, got ${result.code}`);
    if (result.ms > 15_000) failures.push(`${label}: took ${Math.round(result.ms)} ms`);
  };
  try {
    // 1. Runtime dir owned by someone else, then with group/other bits: refused, never fixed.
    mkdirSync(fixture.bundleDir, { recursive: true, mode: 0o700 });
    chownSync(fixture.bundleDir, 65534, 65534);
    check('foreign runtime dir', await refusal(() => connect(fixture, 'alice')), ['runtime_insecure_path']);
    injected.push('foreign/loose dir');
    chownSync(fixture.bundleDir, 0, 0);
    chmodSync(fixture.bundleDir, 0o755);
    check('runtime dir 0755', await refusal(() => connect(fixture, 'alice')), ['runtime_insecure_path']);
    if ((statSync(fixture.bundleDir).mode & 0o777) !== 0o755) failures.push('the relay changed the dir mode silently');
    chmodSync(fixture.bundleDir, 0o700);

    // 2. A live relay's socket with a foreign owner or a loose mode: clients refuse to use it.
    const alice = await connect(fixture, 'alice');
    const before = await alice.request('send', { to: ['bob'], body: 'before' });
    accepted += 1;
    alice.close();
    injected.push('foreign/loose socket');
    const pid = relayPid(fixture);
    chownSync(fixture.socket, 65534, 65534);
    // An untrusted socket is refused before any connect, with or without auto-start.
    check('foreign socket', await refusal(() => connect(fixture, 'alice', { autoStart: false })), [
      'runtime_insecure_path',
    ]);
    check('foreign socket, auto-start', await refusal(() => connect(fixture, 'alice')), ['runtime_insecure_path']);
    chownSync(fixture.socket, 0, 0);
    chmodSync(fixture.socket, 0o666);
    // Settled 1: the 0700 runtime dir is the trust boundary, so a loose socket inside it is still
    // only reachable by us and is used (the dir itself with loose bits is refused above).
    check('socket 0666 in a 0700 dir', await refusal(() => connect(fixture, 'alice', { autoStart: false })), [
      undefined,
    ]);
    chmodSync(fixture.socket, 0o600);
    if (relayPid(fixture) !== pid) failures.push('a refused client replaced the running relay');

    // 3. Corrupt journal: the relay refuses to start and leaves the file exactly as it was.
    await stopRelay(fixture);
    // What was answered so far is in the journal exactly once, before we destroy it on purpose.
    const kept = auditJournal(fixture.journal, new Set([before.message_id]));
    lost += kept.missing.length;
    duplicated += kept.duplicates;
    injected.push('corrupt journal');
    const garbage = Buffer.alloc(64 * 1024, 0x5a);
    writeFileSync(fixture.journal, garbage);
    rmSync(`${fixture.journal}-wal`, { force: true });
    rmSync(`${fixture.journal}-shm`, { force: true });
    check('corrupt journal', await refusal(() => connect(fixture, 'alice')), [
      'runtime_journal_corrupt',
      'relay_startup_failed',
    ]);
    if (!readFileSync(fixture.journal).equals(garbage)) failures.push('the corrupt journal was modified or replaced');
    if (!/journal/i.test(relayLogTail(fixture, 40))) failures.push('relay.log does not name the journal problem');
    await stopRelay(fixture);
    rmSync(fixture.bundleDir, { recursive: true, force: true });

    // 4. Read-only state dir (a read-only bind mount).
    const roState = join(fixture.root, 'ro-state');
    mkdirSync(roState, { mode: 0o700 });
    const ro = { ...fixture, roots: { ...fixture.roots, stateDir: roState } };
    if (mount(['--bind', roState, roState]) && mount(['-o', 'remount,bind,ro', roState])) {
      mounts.push(roState);
      injected.push('read-only dir');
      check('read-only state dir', await refusal(() => connect(ro, 'alice')), [
        'runtime_io_failed',
        'relay_unavailable',
      ]);
    } else skipped.push('read-only state dir');

    // 5. Full disk: a 2 MiB tmpfs as the state dir; sends of 200 KiB until the journal fills.
    const tiny = join(fixture.root, 'tiny-state');
    mkdirSync(tiny, { mode: 0o700 });
    let fullFaults = 0;
    if (mount(['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', tiny])) {
      mounts.push(tiny);
      injected.push('full disk');
      const full = {
        ...fixture,
        roots: { ...fixture.roots, stateDir: tiny },
        journal: join(tiny, 'bundles', fixture.bundle, 'journal.db'),
        lockFile: join(tiny, 'bundles', fixture.bundle, 'relay.lock'),
      };
      const answered = new Set();
      let refusedCode;
      try {
        const sender = await connect(full, 'alice');
        for (let i = 0; i < 40 && refusedCode === undefined; i += 1) {
          try {
            const result = await sender.request('send', {
              to: ['bob'],
              body: `${i} ${'f'.repeat(200 * 1024)}`,
              request_id: `full-${i}`,
            });
            answered.add(result.message_id);
          } catch (error) {
            refusedCode = error?.code ?? 'unstructured';
            fullFaults += 1;
          }
        }
        sender.close();
      } catch (error) {
        refusedCode = `connect: ${error?.code}`;
      }
      accepted += answered.size;
      check('full disk', { code: refusedCode, ms: 0 }, ['runtime_journal_failed', 'runtime_io_failed']);
      const audit = auditJournal(full.journal, answered);
      if (audit.missing.length > 0) failures.push(`full disk lost ${audit.missing.length} answered messages`);
      if (audit.duplicates > 0) failures.push(`full disk journaled ${audit.duplicates} messages twice`);
      lost += audit.missing.length;
      duplicated += audit.duplicates;
      cases.push(
        `full disk: ${answered.size} answered, ${fullFaults} refused, all answered journaled: ${audit.missing.length === 0}`,
      );
      await stopRelay(full);
    } else skipped.push('full disk');
    for (const label of skipped) cases.push(`${label}: SKIP (mount not permitted)`);
    if (lost > 0) failures.push(`lost ${lost} answered messages`);
    if (duplicated > 0) failures.push(`duplicated ${duplicated} messages`);

    return {
      scenario: '4 filesystem',
      load: `${cases.length - skipped.length} cases`,
      faults: injected.join(', '),
      accepted,
      delivered: '—',
      lost,
      duplicated,
      skipped,
      maxLatency: `${ms(slowest)} to refuse`,
      extra: cases.join('; '),
      failures,
    };
  } finally {
    for (const path of mounts.reverse()) umount(path);
    await disposeFixture(fixture);
  }
}
