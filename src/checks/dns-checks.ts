// The own-domain DNS checks, in report order: presence of the SRV record first, then what
// Microsoft does with it, then its target.
import { check as srvPresent } from './srv-present.js';
import { check as srvAvailable } from './srv-available.js';
import { check as srvSingle } from './srv-single.js';
import { check as srvPort } from './srv-port.js';
import { check as srvTargetNamespace } from './srv-target-namespace.js';
import { check as srvTargetAlias } from './srv-target-alias.js';
import { check as srvTargetAddress } from './srv-target-address.js';
import { check as srvTargetPeers } from './srv-target-peers.js';
import type { Check } from './types.js';

export const DNS_CHECKS: Check[] = [
  srvPresent,
  srvAvailable,
  srvSingle,
  srvPort,
  srvTargetNamespace,
  srvTargetAlias,
  srvTargetAddress,
  srvTargetPeers,
];
