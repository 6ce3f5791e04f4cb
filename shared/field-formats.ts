/**
 * Formats of typed identifiers, one definition for the server's validation and the console's check before
 * the signature step (a bad value must be refused before the password is asked, not after it).
 * Written as JavaScript RegExps, never as HTML `pattern` attributes: browsers compile `pattern` with the `v`
 * flag, where an unescaped "/" or "-" in a class is a syntax error and the whole check silently disappears.
 */
export const LOT_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
