// node-forge's whole bundle (every cipher, its PKI and TLS) takes longer to load than a lab check
// takes to run; fedcheck needs only its ASN.1 codec and byte buffers, so it loads just those.
import type forge from 'node-forge';
import asn1Module from 'node-forge/lib/asn1.js';
import utilModule from 'node-forge/lib/util.js';

export const asn1 = asn1Module as typeof forge.asn1;
export const forgeUtil = utilModule as typeof forge.util;
