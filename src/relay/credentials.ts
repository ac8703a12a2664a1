// Who may speak as whom (docs/reliability.md, "Trust model"). The relay holds one random
// operator key per bundle; an agent's pane or worker gets HMAC(key, session) in its 0600
// environment file as AGENTMUX_TOKEN. At hello a connection proves an identity with one of
// them: the operator key may act as any member or stop the relay (a human's own shell), an
// agent credential only as its own session, and nothing at all only observes.
import { constants, closeSync, fstatSync, linkSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AgentmuxError } from '../core/errors.js';
import { currentUid } from '../runtime/paths.js';
import { operatorKeyPath } from '../runtime/operator-key.js';

/** What a presented credential proves. */
export type CredentialProof = { kind: 'operator' } | { kind: 'agent'; session: string } | { kind: 'none' };

const KEY_PATTERN = /^[0-9a-f]{64}$/;

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The bundle's credentials: the operator key and the agent credentials derived from it. */
export class Credentials {
  private readonly key: string;

  constructor(key: string) {
    this.key = key;
  }

  /** Reads the bundle's operator key, creating it (0600, never following a link) on first use. */
  static open(bundleDir: string): Credentials {
    const path = operatorKeyPath(bundleDir);
    const existing = readKeyFile(path);
    if (existing !== undefined) return new Credentials(existing);
    // Written under a unique name, then linked into place: a reader never sees a half-written
    // key, and of two relays racing the first link wins and the other reads it.
    const temporary = `${path}.${process.pid}.${randomBytes(8).toString('hex')}`;
    const fd = openSync(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
    try {
      writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
    const key = readKeyFile(path);
    if (key === undefined) throw insecure(path, 'could not be created');
    return new Credentials(key);
  }

  /** The credential handed to `session`'s pane or worker (AGENTMUX_TOKEN). */
  forAgent(session: string): string {
    return createHmac('sha256', this.key).update(`agent\0${session}`).digest('hex');
  }

  /** What `credential` proves for a hello that claims `session`. */
  prove(credential: string | undefined, session: string | undefined): CredentialProof {
    if (credential === undefined) return { kind: 'none' };
    if (sameSecret(credential, this.key)) return { kind: 'operator' };
    if (session !== undefined && sameSecret(credential, this.forAgent(session))) return { kind: 'agent', session };
    return { kind: 'none' };
  }
}

function insecure(path: string, why: string): AgentmuxError {
  return new AgentmuxError('runtime_insecure_path', `operator key ${path} ${why}`, {
    details: { path },
    hint: 'remove the file; the relay creates a new one (agents started before must be restarted with `agentmux up --restart`)',
  });
}

/** The key in `path`, or undefined when there is none; refuses a file anyone else could have written or read. */
function readKeyFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw insecure(path, 'is a symbolic link');
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw insecure(path, 'is not a regular file');
    if (stat.uid !== currentUid()) throw insecure(path, `is owned by uid ${stat.uid}`);
    if ((stat.mode & 0o077) !== 0) throw insecure(path, `has mode ${(stat.mode & 0o777).toString(8)}`);
    const key = readFileSync(fd, 'utf8').trim();
    if (!KEY_PATTERN.test(key)) throw insecure(path, 'is damaged');
    return key;
  } finally {
    closeSync(fd);
  }
}
