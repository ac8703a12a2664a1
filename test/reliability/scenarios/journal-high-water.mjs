// Scenario: the journal's high-water mark (issue 15.10). Each round sends M messages to a
// recipient that never takes them, SIGKILLs the relay right after the last answer and keeps
// that crash image (journal.db, its WAL, the mark). From the image:
//   control — restored as is: the relay must start and hold every answered message;
//   WAL damage — one byte flipped in the WAL's last frame: SQLite alone silently recovers
//     fewer messages (counted), and the relay must refuse with runtime_journal_corrupt;
//   emptied — journal.db truncated to 0 bytes, WAL gone: the relay must refuse.
// Figures are counted per run: messages only in the WAL when killed (what damage can take),
// what plain SQLite recovers from the damaged image, and how many damaged starts were refused.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connect, createFixture, disposeFixture, relayLogTail, relayPid, stopRelay, waitFor } from '../lib/fixture.mjs';
import { ms } from '../lib/table.mjs';

const JOURNAL_FILES = ['journal.db', 'journal.db-wal', 'journal.db.high-water'];

/** Sizes: rounds × messages per round. */
export const JOURNAL_HIGH_WATER_SIZES = {
  ci: { rounds: 3, perRound: 200 },
  full: { rounds: 10, perRound: 1000 },
};

/** Runs the scenario; resolves to a table row with `failures`. */
export async function runJournalHighWater(size) {
  const { rounds, perRound } = JOURNAL_HIGH_WATER_SIZES[size];
  const fixture = createFixture({ name: 'journal-hw', sockets: ['s0', 'bob'] });
  const failures = [];
  const answered = new Set();
  const figures = {
    exercised: 0,
    atRisk: [],
    dropped: [],
    silentlyLost: 0,
    walRefused: 0,
    emptiedRefused: 0,
    controlOk: 0,
  };
  let slowestRefusal = 0;
  try {
    for (let round = 0; round < rounds; round += 1) {
      const client = await connect(fixture, 's0');
      for (let i = 0; i < perRound; i += 1) {
        const result = await client.request('send', {
          to: ['bob'],
          body: `r${round}-${i}`,
          request_id: `r${round}-${i}`,
        });
        answered.add(result.message_id);
      }
      // Killed right after the last answer: the commits since the last checkpoint (the relay
      // checkpoints every 250 ms tick that saw writes) are only in the WAL.
      const pid = relayPid(fixture);
      process.kill(pid, 'SIGKILL');
      client.close();
      await waitFor(() => !isAlive(pid), { timeoutMs: 10_000, what: 'the killed relay to go' });
      const image = join(fixture.root, `image-${round}`);
      saveImage(fixture.bundleDir, image);
      const atRisk = countMessages(image, true) - countMessages(image, false);
      figures.atRisk.push(atRisk);

      // WAL damage: what plain SQLite recovers, then what the relay does with it.
      restoreImage(image, fixture.bundleDir, (dir) => flipLastWalFrame(join(dir, 'journal.db-wal')));
      const recovered = countMessages(fixture.bundleDir, true, join(fixture.root, `plain-${round}`));
      const lostToDamage = answered.size - recovered;
      figures.dropped.push(lostToDamage);
      if (lostToDamage > 0) figures.exercised += 1;
      const damaged = await tryStart(fixture);
      slowestRefusal = Math.max(slowestRefusal, damaged.ms);
      if (damaged.refused) figures.walRefused += 1;
      else if (lostToDamage > 0) {
        figures.silentlyLost += lostToDamage;
        failures.push(`round ${round}: relay started on a damaged WAL missing ${lostToDamage} accepted messages`);
      }

      // Emptied journal.db.
      restoreImage(image, fixture.bundleDir, (dir) => {
        truncateSync(join(dir, 'journal.db'), 0);
        rmSync(join(dir, 'journal.db-wal'), { force: true });
      });
      const emptied = await tryStart(fixture);
      slowestRefusal = Math.max(slowestRefusal, emptied.ms);
      if (emptied.refused) figures.emptiedRefused += 1;
      else failures.push(`round ${round}: relay started on an emptied journal.db (history of ${answered.size})`);

      // Control: the undamaged image starts and holds every answered message; the next round goes on from it.
      restoreImage(image, fixture.bundleDir);
      const control = await tryStart(fixture);
      if (control.refused) failures.push(`round ${round}: an undamaged crash image was refused: ${control.reason}`);
      else {
        const missing = missingIds(join(fixture.bundleDir, 'journal.db'), answered);
        if (missing === 0) figures.controlOk += 1;
        else failures.push(`round ${round}: ${missing} answered messages missing after an undamaged restart`);
      }
    }
    if (figures.exercised === 0) failures.push('no round had messages only in the WAL: the WAL case was not exercised');
    if (figures.walRefused < figures.exercised) {
      failures.push(`${figures.exercised - figures.walRefused} damaged journals were not refused`);
    }
    return {
      scenario: 'journal high-water',
      load: `${rounds} rounds × ${perRound} sends`,
      faults: `SIGKILL ×${rounds}, WAL byte flip ×${rounds}, 0-byte journal ×${rounds}`,
      accepted: answered.size,
      delivered: '—',
      lost: figures.silentlyLost,
      duplicated: '—',
      maxLatency: `${ms(slowestRefusal)} to refuse`,
      extra:
        `msgs only in the WAL at each kill: ${figures.atRisk.join('/')}; a flipped byte made SQLite drop ` +
        `${figures.dropped.join('/')}; refused ${figures.walRefused}/${figures.exercised} of those; ` +
        `emptied refused ${figures.emptiedRefused}/${rounds}; ` +
        `clean restarts ${figures.controlOk}/${rounds}`,
      failures,
    };
  } catch (error) {
    failures.push(`crashed: ${error?.stack ?? error}; relay log: ${relayLogTail(fixture)}`);
    return { scenario: 'journal high-water', failures };
  } finally {
    await stopRelay(fixture);
    await disposeFixture(fixture);
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function saveImage(bundleDir, image) {
  mkdirSync(image, { recursive: true });
  for (const name of JOURNAL_FILES) {
    if (existsSync(join(bundleDir, name))) copyFileSync(join(bundleDir, name), join(image, name));
  }
}

// Replaces the bundle's journal files by the image (the relay is not running), then applies `damage`.
function restoreImage(image, bundleDir, damage) {
  for (const name of [...JOURNAL_FILES, 'journal.db-shm']) rmSync(join(bundleDir, name), { force: true });
  for (const name of JOURNAL_FILES) {
    if (existsSync(join(image, name))) copyFileSync(join(image, name), join(bundleDir, name));
  }
  damage?.(bundleDir);
}

// Damages the last frame of the WAL's current generation. After a checkpoint SQLite restarts
// the WAL from its start (new salts in the header) without shrinking the file: the frames at
// the end of the file may be stale ones, already copied into journal.db.
function flipLastWalFrame(wal) {
  const bytes = readFileSync(wal);
  if (bytes.length <= 32) return;
  const frameBytes = 24 + bytes.readUInt32BE(8);
  const salts = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  let last = -1;
  for (let offset = 32; offset + frameBytes <= bytes.length; offset += frameBytes) {
    if (bytes.readUInt32BE(offset + 8) !== salts[0] || bytes.readUInt32BE(offset + 12) !== salts[1]) break;
    last = offset;
  }
  if (last === -1) return;
  bytes[last + frameBytes - 100] ^= 0xff;
  writeFileSync(wal, bytes);
}

// Messages SQLite recovers from a copy of `dir`'s journal.db (with its WAL when `withWal`).
function countMessages(dir, withWal, copyDir = join(dir, `count-${withWal ? 'wal' : 'db'}`)) {
  mkdirSync(copyDir, { recursive: true });
  const copy = join(copyDir, 'journal.db');
  rmSync(`${copy}-wal`, { force: true });
  rmSync(`${copy}-shm`, { force: true });
  copyFileSync(join(dir, 'journal.db'), copy);
  if (withWal && existsSync(join(dir, 'journal.db-wal'))) copyFileSync(join(dir, 'journal.db-wal'), `${copy}-wal`);
  const db = new Database(copy);
  try {
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'messages'`).get() !== undefined;
    return hasTable ? db.prepare('SELECT count(*) FROM messages').pluck().get() : 0;
  } finally {
    db.close();
    rmSync(copyDir, { recursive: true, force: true });
  }
}

function missingIds(journal, ids) {
  const db = new Database(journal, { readonly: true, fileMustExist: true });
  try {
    const present = new Set(db.prepare('SELECT id FROM messages').pluck().all());
    return [...ids].filter((id) => !present.has(id)).length;
  } finally {
    db.close();
  }
}

// Starts the relay through a client's auto-start; refused = it exited with runtime_journal_corrupt.
async function tryStart(fixture) {
  const t0 = performance.now();
  try {
    const client = await connect(fixture, 's0');
    client.close();
    return { refused: false, ms: performance.now() - t0 };
  } catch (error) {
    const reason = `${error?.code ?? ''} ${error?.message ?? error}`;
    const elapsed = performance.now() - t0;
    if (!reason.includes('runtime_journal_corrupt')) throw new Error(`relay start failed otherwise: ${reason}`);
    await stopRelay(fixture);
    return { refused: true, ms: elapsed, reason };
  }
}
