// node-forge's single modules, loaded on their own (see src/gather/tls/forge-asn1.ts).
declare module 'node-forge/lib/asn1.js' {
  const asn1: unknown;
  export default asn1;
}
declare module 'node-forge/lib/util.js' {
  const util: unknown;
  export default util;
}
