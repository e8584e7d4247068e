// The IM and Presence checks (with --imp-fqdn / --imp-publisher), in report order: the routing
// FQDN's internal DNS, then its listener, then the publisher on the public side; and last the
// comparison of the external and internal DNS views (with --internal-resolver).
import { check as impFqdnAddress } from './imp-fqdn-address.js';
import { check as impFqdnNoPtr } from './imp-fqdn-no-ptr.js';
import { check as impTls } from './imp-tls.js';
import { check as impPublisherPublic } from './imp-publisher-public.js';
import { check as dnsViews } from './dns-views.js';
import type { Check } from './types.js';

export const IMP_CHECKS: Check[] = [impFqdnAddress, impFqdnNoPtr, impTls, impPublisherPublic, dnsViews];
