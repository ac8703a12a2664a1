// A relay auto-started without the caller's NODE_EXTRA_CA_CERTS (its bundle had no hosts)
// whose reload adds [[hosts]]: the bridge passes those certificates to a tls:// connection
// itself, and says so when it cannot (a nats:// URL).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { extraCaCertsOption } from '../../../src/relay/bridge/nats-bridge.js';
import type { RelayLog } from '../../../src/relay/log.js';
import { restoreCallerEnv, withRelayOnly } from '../../../src/runtime/relay-env.js';

const dir = mkdtempSync(join(tmpdir(), 'bridge-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordingLog(): RelayLog & { events: string[] } {
  const events: string[] = [];
  const record = (event: string): void => void events.push(event);
  return { events, info: record, warn: record, error: record, close: () => undefined };
}

describe('the bridge of a relay started without NODE_EXTRA_CA_CERTS', () => {
  it('adds nothing while the relay runs with the caller certificates', () => {
    const log = recordingLog();
    expect(extraCaCertsOption('tls://127.0.0.1:4222', log)).toEqual({});
    expect(log.events).toEqual([]);
  });

  it("trusts node's CAs and the left-out file on a tls:// URL, and warns on a nats:// URL", () => {
    const file = join(dir, 'extra.pem');
    const pem = '-----BEGIN CERTIFICATE-----\nZXh0cmE=\n-----END CERTIFICATE-----\n';
    writeFileSync(file, pem);
    restoreCallerEnv(withRelayOnly({ NODE_EXTRA_CA_CERTS: file }, { NODE_EXTRA_CA_CERTS: undefined }));
    const log = recordingLog();
    const option = extraCaCertsOption('tls://127.0.0.1:4222', log);
    expect(option.tls?.ca).toContain(pem);
    expect(option.tls?.ca).toContain(rootCertificates[0]);
    expect(log.events).toEqual([]);
    expect(extraCaCertsOption('nats://127.0.0.1:4222', log)).toEqual({});
    expect(log.events).toEqual(['bridge.extra_ca_certs_unused']);
  });
});
