import { isIP } from 'node:net';

/**
 * Which peers may tell the API the client's address (X-Forwarded-For): none (the default: the
 * peer's own address counts), the nearest `hops` proxies, or peers inside the listed networks.
 */
export type TrustProxySetting =
  { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'networks'; networks: string[] };

export type TrustProxyParse = { ok: true; setting: TrustProxySetting } | { ok: false; problem: string };

const PROBLEM = 'must be none, a number of proxy hops (1-10), or a comma-separated list of IP addresses or CIDRs';

export function parseTrustProxy(value: string): TrustProxyParse {
  const text = value.trim();
  if (text === '' || text === 'none' || text === '0' || text === 'false')
    return { ok: true, setting: { kind: 'none' } };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops >= 1 && hops <= 10 ? { ok: true, setting: { kind: 'hops', hops } } : { ok: false, problem: PROBLEM };
  }
  const networks = text.split(',').map((item) => item.trim());
  return networks.every(isNetwork)
    ? { ok: true, setting: { kind: 'networks', networks } }
    : { ok: false, problem: PROBLEM };
}

function isNetwork(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The value of Express's `trust proxy` setting. */
export function expressTrustProxy(setting: TrustProxySetting): boolean | number | string[] {
  switch (setting.kind) {
    case 'none':
      return false;
    case 'hops':
      return setting.hops;
    case 'networks':
      return setting.networks;
  }
}
