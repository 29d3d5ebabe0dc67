/**
 * `npm run sandbox`'s exit status when another process holds its address: a grading run that
 * starts its own sandbox (fixtures/global-setup.ts) then looks again at what answers there. Kept
 * apart from the sandbox so the runner reads it without loading the sandbox.
 */
export const ADDRESS_IN_USE_STATUS = 3;
