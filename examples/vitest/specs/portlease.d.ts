// Names of the run-wide ports: `inject('portlease').auth` is a number.
import '@portlease/vitest';

declare module '@portlease/vitest' {
  interface PortleasePorts {
    auth: number;
  }
}
