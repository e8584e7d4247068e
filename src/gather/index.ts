// The gather layer as the rest of fedcheck sees it. Code outside src/gather imports gather from
// here only; everything else under src/gather is its own business and may change shape freely.

// Gathering: what the pipeline runs for every target of a run.
export { createRevocationChecker, gatherTarget, type GatherSettings } from './target.js';
export { rereadRevocation } from './revocation/gather.js';
export { systemResolvers } from './dns/system-resolvers.js';
export { mapWithConcurrency } from './limit.js';
export { CipherProbeCache, LegacyProbeCache } from './tls/probe.js';

// Replay: probes recorded by earlier versions, re-judged as today's probe records them.
export { reclassifyRecordedProbe } from './tls/classify.js';

// DER, ASN.1 and certificates: the lab builds its certificates with the codec fedcheck reads
// them with, and checks each one with fedcheck's own parser.
export { asn1 } from './tls/forge-asn1.js';
export { bytesOf, children, decodeDer, encodeDer, type Asn1Node } from './tls/der.js';
export { derToPem, parseCertificate, pemToDer } from './tls/certificate.js';

// SIP messages: the lab's responder reads requests with the parser the probe reads responses with.
export { headerValue, readMessageHead, type SipHeaders } from './sip/message.js';
