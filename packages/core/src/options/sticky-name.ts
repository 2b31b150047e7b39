/** What a sticky name may be: it appears in env names, file listings and labels. */
export const STICKY_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
