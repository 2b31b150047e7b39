import '@portlease/vitest';

declare module '@portlease/vitest' {
  interface PortleasePorts {
    ledger: number;
  }
}
