#!/usr/bin/env node
// The server the shell suite execs once it has its ports: `node hold-ports.mjs <who> <port>…`.
// Exec keeps the shell's pid, so ports leased with `--hold-pid $$` stay held while this runs.
import { takePart } from './participant.mjs';

const [who = 'shell', ...ports] = process.argv.slice(2);
takePart({ who, lang: 'shell', ports: ports.map(Number) });
