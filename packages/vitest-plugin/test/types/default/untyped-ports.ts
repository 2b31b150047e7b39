// Without declared names, `inject('portlease')` is a read-only record: each port may be undefined.
import '@portlease/vitest';
import { providedPort } from '@portlease/vitest/test';
import { inject } from 'vitest';

const ports = inject('portlease');
const api: number | undefined = ports.api;
// @ts-expect-error possibly undefined under noUncheckedIndexedAccess
const web: number = ports.web;
const any: number = providedPort('any-name');

export { any, api, web };
