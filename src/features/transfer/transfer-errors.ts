/** A review export or import refused, with a message that says why and what to do. */
export class TransferRefused extends Error {}
