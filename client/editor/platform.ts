// The modifier key this platform's shortcuts use: ⌘ on a Mac, Ctrl elsewhere.
export const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** The modifier as a shortcut is written before its key: "⌘Z", "Ctrl+Z". */
export const mod = isMac ? '⌘' : 'Ctrl+';
